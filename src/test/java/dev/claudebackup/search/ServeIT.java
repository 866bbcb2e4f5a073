package dev.claudebackup.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.testing.JarProcess;
import dev.claudebackup.testing.Poll;

/** The jar's serve and search as processes: no session key, exit statuses, a clean stop on SIGTERM, the --bind warning. */
class ServeIT {

    @TempDir
    Path work;

    @Test
    void serveAnswersWithoutASessionKeyAndStopsCleanlyOnSigterm() throws Exception {
        try (SearchFixture backup = new SearchFixture(work)) {
            backup.plain(backup.main, "Olives", "2025-03-01T00:00:00.000000Z", "Kalamata olives are purple.");
            assertEquals(0, backup.backup().status().code());
            Files.createDirectories(backup.dir.resolve("readable"));
            Files.writeString(backup.dir.resolve("readable/index.html"), "<p>index</p>");
            Map<String, String> bare = Map.of("HOME", work.toString());

            JarProcess search = JarProcess.start(bare, work, List.of(), "search", "--dir", backup.dir.toString(), "kalamata");
            assertEquals(0, search.waitFor(60), search.stderr());
            assertTrue(search.stdout().contains("\tOlives\t"), search.stdout());
            JarProcess none = JarProcess.start(bare, work, List.of(), "search", "--dir", backup.dir.toString(), "nothingsuch");
            assertEquals(1, none.waitFor(60), none.stderr());

            int port = ServeTest.freePort();
            JarProcess serve = JarProcess.start(bare, work, List.of(), "serve", "--dir", backup.dir.toString(), "--port", Integer.toString(port));
            try {
                Poll.until(Duration.ofSeconds(60), () -> serve.stderr().contains("Serving"), serve::stderr);
                assertFalse(serve.stderr().contains("Warning"), serve.stderr());
                HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/search?q=kalamata")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode());
                assertTrue(answer.body().contains("Olives"), answer.body());
            } finally {
                serve.process().destroy(); // SIGTERM
            }
            assertEquals(0, serve.waitFor(30), serve.stderr());
            assertTrue(serve.stderr().contains("Stopped serving."), serve.stderr());
        }
    }

    @Test
    void anotherAddressIsAWarning() throws Exception {
        try (SearchFixture backup = new SearchFixture(work)) {
            backup.plain(backup.main, "Olives", "2025-03-01T00:00:00.000000Z", "Kalamata olives are purple.");
            assertEquals(0, backup.backup().status().code());
            JarProcess serve = JarProcess.start(Map.of("HOME", work.toString()), work, List.of(), "serve", "--dir",
                    backup.dir.toString(), "--port", Integer.toString(ServeTest.freePort()), "--bind", "0.0.0.0");
            try {
                Poll.until(Duration.ofSeconds(60), () -> serve.stderr().contains("Serving"), serve::stderr);
                assertTrue(serve.stderr().contains("Warning: listening on 0.0.0.0"), serve.stderr());
            } finally {
                serve.process().destroy();
            }
            assertEquals(0, serve.waitFor(30), serve.stderr());

            JarProcess noBackup = JarProcess.start(Map.of("HOME", work.toString()), work, List.of(), "serve", "--dir",
                    work.resolve("nothing").toString());
            assertEquals(2, noBackup.waitFor(60), noBackup.stderr());
        }
    }
}
