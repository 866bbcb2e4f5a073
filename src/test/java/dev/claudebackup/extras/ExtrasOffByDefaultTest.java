package dev.claudebackup.extras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/**
 * The shipped extras are off until their property says otherwise: configured in full but not switched
 * on, they connect nowhere and write nothing. A listening socket on loopback stands where the S3 store
 * and the SMTP server would be, and counts who knocks.
 */
class ExtrasOffByDefaultTest {

    private static final Path PROJECT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();

    @TempDir
    Path dir;
    FakeClaudeApi api;
    ServerSocket tripwire;
    final AtomicInteger connections = new AtomicInteger();
    Path backup;
    Path config;

    @BeforeEach
    void start() throws Exception {
        api = new FakeClaudeApi(FakeClaudeApi.demoAccount(), BackupRunner.SESSION_KEY);
        tripwire = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread listener = new Thread(() -> {
            while (!tripwire.isClosed()) {
                try (Socket knock = tripwire.accept()) {
                    connections.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "tripwire");
        listener.setDaemon(true);
        listener.start();
        backup = dir.resolve("backup");
        config = dir.resolve("claude-backup.properties");
        Files.writeString(config, "extras.s3.bucket=claude-backups\n"
                + "extras.s3.endpoint=http://127.0.0.1:" + tripwire.getLocalPort() + "\n"
                + "extras.s3.path-style=true\n"
                + "extras.s3.access-key=TEST-ACCESS-KEY\n"
                + "extras.s3.secret-key=test-secret-key-not-a-real-one\n"
                + "extras.email.to=alice@example.org\n"
                + "extras.email.host=127.0.0.1\n"
                + "extras.email.port=" + tripwire.getLocalPort() + "\n");
    }

    @AfterEach
    void stop() throws IOException {
        tripwire.close();
        api.close();
    }

    @Test
    void configuredButNotSwitchedOnTheyConnectNowhereAndWriteNothing() throws Exception {
        BackupRunner.Result result = BackupRunner.backup(api, backup, "--config", config.toString());

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertEquals(0, connections.get(), "no connection to the S3 store or the SMTP server");
        assertFalse(Files.exists(backup.resolve(".git")), "no git repository");
        assertFalse(Files.exists(backup.resolve(BackupFolder.STATE_FOLDER).resolve(UploadedFiles.FILE_NAME)), "no S3 record");
    }

    @Test
    void switchedOnTheyDoConnect() throws Exception {
        Files.writeString(config, "extras.s3.enabled=true\nextras.email.enabled=true\nextras.email.starttls=false\n",
                java.nio.file.StandardOpenOption.APPEND);

        BackupRunner.Result result = BackupRunner.backup(api, backup, "--config", config.toString());

        assertEquals(ExitStatus.SOME_FAILED, result.status(), "the tripwire is no S3 store, nor an SMTP server: " + result);
        assertTrue(connections.get() > 0, "the same configuration, switched on, connects");
        assertFalse(result.stderr().contains("test-secret-key-not-a-real-one"), "the secret key is never shown");
    }

    /** Each file in routes/extras is loaded from the jar, and each of its routes waits for its own switch, off by default. */
    @Test
    void everyShippedExtraIsLoadedAndOffByDefault() throws Exception {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(PROJECT.resolve("application.properties"), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        List<String> patterns = List.of(properties.getProperty("camel.main.routes-include-pattern").split(","));
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<Path> files;
        try (Stream<Path> listing = Files.list(PROJECT.resolve("routes/extras"))) {
            files = listing.filter(file -> file.toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertEquals(3, files.size(), files.toString());
        for (Path file : files) {
            assertTrue(patterns.contains("classpath:extras/" + file.getFileName()), file + " is loaded: " + patterns);
            for (JsonNode entry : yaml.readTree(file.toFile())) {
                JsonNode route = entry.path("route");
                if (route.isMissingNode()) {
                    continue;
                }
                String precondition = route.path("precondition").asText();
                assertTrue(precondition.matches("\\{\\{extras\\.[a-z0-9]+\\.enabled}}"), route.path("id") + ": " + precondition);
                String property = precondition.substring(2, precondition.length() - 2);
                assertEquals("false", properties.getProperty(property), property + " is off by default");
                assertFalse(route.path("description").asText().isBlank(), route.path("id") + " says what it does");
            }
        }
    }
}
