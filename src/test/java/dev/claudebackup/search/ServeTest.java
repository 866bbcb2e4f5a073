package dev.claudebackup.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.ChatFileNamer;

/** serve's route, on loopback: the readable copy read-only, /api/search as CONTRACTS.md point 6 says. */
class ServeTest {

    @TempDir
    static Path work;
    static SearchFixture backup;
    static SampleAccount.Chat chat;
    static SearchServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void serve() throws Exception {
        backup = new SearchFixture(work);
        chat = backup.plain(backup.main, "Falafel night", "2025-03-01T00:00:00.000000Z", "How do I make falafel crisp?", "Fry hot.");
        assertEquals(0, backup.backup().status().code());
        Path readable = backup.dir.resolve("readable");
        Files.createDirectories(readable);
        Files.writeString(readable.resolve("index.html"), "<!doctype html><title>Backup</title><p>the index page</p>");
        Files.writeString(readable.resolve("style.css"), "p { color: black }");
        String organization = ChatFileNamer.slug(backup.main.name(), backup.main.uuid());
        Files.createDirectories(readable.resolve(organization));
        Files.writeString(readable.resolve(organization).resolve(ChatFileNamer.slug(chat.name(), chat.uuid()) + ".html"), "<p>chat</p>");
        Files.writeString(readable.resolve("Café_crème.html"), "<p>accents</p>");
        Files.writeString(work.resolve("secret.txt"), "outside the readable copy");
        Files.createSymbolicLink(readable.resolve("link.txt"), work.resolve("secret.txt"));
        BackupFolder folder = new BackupFolder(backup.dir);
        SearchIndex index = new SearchIndex(folder);
        assertTrue(index.open());
        server = SearchServer.start(folder, index, "127.0.0.1", freePort());
    }

    @AfterAll
    static void stop() {
        server.close();
        backup.close();
    }

    @Test
    void theReadableCopyIsServedWithItsContentTypesAndIndexAtTheTop() throws Exception {
        HttpResponse<String> index = get("");
        assertEquals(200, index.statusCode());
        assertEquals("text/html; charset=utf-8", index.headers().firstValue("Content-Type").orElse(""));
        assertTrue(index.body().contains("the index page"));
        HttpResponse<String> css = get("style.css");
        assertEquals("text/css; charset=utf-8", css.headers().firstValue("Content-Type").orElse(""));
        assertEquals(404, get("missing.html").statusCode());
        HttpResponse<String> accents = get("Caf%C3%A9_cr%C3%A8me.html");
        assertEquals(200, accents.statusCode(), "a name with accents, percent-encoded as browsers send it");
        assertEquals("<p>accents</p>", accents.body());
    }

    @Test
    void nothingOutsideTheReadableCopyIsServed() throws Exception {
        for (String path : new String[] {"../secret.txt", "%2e%2e/secret.txt", "%2e%2e%2fsecret.txt", "..%5csecret.txt",
                "link.txt", ".%2e/.%2e/backup/account.json", "../backup/.claude-backup/state.db", "%00index.html"}) {
            int status = raw("GET /" + path + " HTTP/1.1");
            assertTrue(status == 404 || status == 400, path + ": " + status);
        }
    }

    @Test
    void readOnly() throws Exception {
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "index.html"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void searchAnswersAsTheContractSays() throws Exception {
        HttpResponse<String> answer = get("api/search?q=falafel&limit=5");
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode json = SearchFixture.JSON.readTree(answer.body());
        assertEquals("falafel", json.path("query").asText());
        JsonNode hit = json.path("results").get(0);
        assertEquals("https://claude.ai/chat/" + chat.uuid(), hit.path("url").asText());
        assertEquals("chat", hit.path("kind").asText());
        assertEquals(ChatFileNamer.slug(backup.main.name(), backup.main.uuid()) + "/" + ChatFileNamer.slug(chat.name(), chat.uuid()) + ".html",
                hit.path("page").asText());
        assertTrue(hit.path("snippet").asText().contains("[falafel]") || hit.path("snippet").asText().contains("[Falafel]"), hit.toString());

        assertEquals(0, SearchFixture.JSON.readTree(get("api/search?q=nothinglikeit").body()).path("results").size());
        for (String bad : new String[] {"api/search?q=", "api/search?q=OR", "api/search?q=-falafel", "api/search?q=falafel&limit=none"}) {
            HttpResponse<String> refused = get(bad);
            assertEquals(400, refused.statusCode(), bad);
            assertTrue(SearchFixture.JSON.readTree(refused.body()).hasNonNull("error"), refused.body());
        }
    }

    @Test
    void onLoopbackOnly() throws Exception {
        Optional<InetAddress> other = otherAddress();
        assumeTrue(other.isPresent(), "this machine has no address but loopback");
        int port = URI.create(server.url()).getPort();
        assertThrows(ConnectException.class, () -> new Socket(other.get(), port).close(), "not on " + other.get());
    }

    @Test
    void anotherAddressWhenBound() throws Exception {
        Optional<InetAddress> other = otherAddress();
        assumeTrue(other.isPresent(), "this machine has no address but loopback");
        BackupFolder folder = new BackupFolder(backup.dir);
        SearchIndex index = new SearchIndex(folder);
        index.open();
        try (SearchServer bound = SearchServer.start(folder, index, other.get().getHostAddress(), freePort())) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(bound.url() + "api/search?q=falafel")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode());
        }
    }

    static Optional<InetAddress> otherAddress() throws IOException {
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (network.isUp() && !network.isLoopback()) {
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return Optional.of(address);
                    }
                }
            }
        }
        return Optional.empty();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request line sent as is (the HTTP client would normalize the path); returns the status. */
    static int raw(String requestLine) throws IOException {
        URI uri = URI.create(server.url());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.getOutputStream().write((requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes());
            String status = new String(socket.getInputStream().readNBytes(12));
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
