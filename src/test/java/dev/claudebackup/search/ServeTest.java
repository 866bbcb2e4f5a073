package dev.claudebackup.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    static final String FILE_UUID = "0b0c0d0e-0000-4000-8000-000000000001";

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
        Path artifacts = Files.createDirectories(readable.resolve(organization).resolve(ChatFileNamer.slug(chat.name(), chat.uuid())).resolve("artifacts"));
        Files.writeString(artifacts.resolve("page.html"), "<script>alert(1)</script>");
        Path files = Files.createDirectories(backup.dir.resolve("organizations").resolve(organization).resolve("files"));
        Files.write(files.resolve("photo-" + FILE_UUID + ".png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Files.writeString(files.resolve("report-" + FILE_UUID + ".pdf"), "%PDF-1.4");
        Files.writeString(files.resolve("drawing-" + FILE_UUID + ".svg"), "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>");
        Files.createSymbolicLink(files.resolve("link-" + FILE_UUID + ".txt"), work.resolve("secret.txt"));
        BackupFolder folder = new BackupFolder(backup.dir);
        SearchIndex index = new SearchIndex(folder);
        assertTrue(index.open());
        server = SearchServer.start(folder, index, folder.root().resolve("readable"), "127.0.0.1", freePort());
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
        try (SearchServer bound = SearchServer.start(folder, index, folder.root().resolve("readable"), other.get().getHostAddress(), freePort())) {
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

    @Test
    void everyAnswerHasAPolicyAndWhatClaudeMadeIsSandboxed() throws Exception {
        for (String path : new String[] {"", "style.css", "missing.html", "api/search?q=falafel", "api/search?q="}) {
            String policy = get(path).headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(policy.contains("script-src 'self'") && policy.contains("default-src 'none'"), path + ": " + policy);
            assertFalse(policy.contains("sandbox"), path + ": " + policy);
        }
        String organization = ChatFileNamer.slug(backup.main.name(), backup.main.uuid());
        HttpResponse<String> artifact = get(organization + "/" + ChatFileNamer.slug(chat.name(), chat.uuid()) + "/artifacts/page.html");
        assertEquals(200, artifact.statusCode());
        String policy = artifact.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.startsWith("sandbox;"), "no allow-scripts, no allow-same-origin: " + policy);
        assertFalse(policy.contains("allow-") || policy.contains("script-src"), policy);
        assertEquals("nosniff", artifact.headers().firstValue("X-Content-Type-Options").orElse(""));
    }

    @Test
    void onlyRequestsNamingThisServerAreAnswered() throws Exception {
        int port = URI.create(server.url()).getPort();
        for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port}) {
            assertEquals(200, raw("GET / HTTP/1.1", host), host);
            assertEquals(200, raw("GET /api/search?q=falafel HTTP/1.1", host), host);
        }
        for (String host : new String[] {"evil.example:" + port, "127.0.0.1", "127.0.0.1:" + (port + 1), "localhost.evil.example:" + port}) {
            assertEquals(403, raw("GET / HTTP/1.1", host), host);
            assertEquals(403, raw("GET /api/search?q=falafel HTTP/1.1", host), host);
        }
        int none = raw("GET / HTTP/1.1", "");
        assertTrue(none == 403 || none == 400, "no host: " + none);
    }

    @Test
    void theSavedFilesThePagesLinkToAreServedAndNothingElseOfTheBackup() throws Exception {
        String files = "organizations/" + ChatFileNamer.slug(backup.main.name(), backup.main.uuid()) + "/files/";
        HttpResponse<String> image = get(files + "photo-" + FILE_UUID + ".png");
        assertEquals(200, image.statusCode());
        assertEquals("image/png", image.headers().firstValue("Content-Type").orElse(""));
        assertTrue(image.headers().firstValue("Content-Disposition").isEmpty(), "an image is shown inline");
        assertTrue(image.headers().firstValue("Content-Security-Policy").orElse("").startsWith("sandbox;"));
        for (String name : new String[] {"report-" + FILE_UUID + ".pdf", "drawing-" + FILE_UUID + ".svg"}) {
            HttpResponse<String> document = get(files + name);
            assertEquals(200, document.statusCode(), name);
            assertEquals("attachment", document.headers().firstValue("Content-Disposition").orElse(""), name);
            assertTrue(document.headers().firstValue("Content-Security-Policy").orElse("").startsWith("sandbox;"), name);
        }
        assertEquals(404, get(files + "link-" + FILE_UUID + ".txt").statusCode(), "a link out of the files folder");
        String organization = "organizations/" + ChatFileNamer.slug(backup.main.name(), backup.main.uuid());
        String chatJson = organization + "/chat_conversations/" + ChatFileNamer.slug(chat.name(), chat.uuid()) + ".json";
        assertTrue(Files.isRegularFile(backup.dir.resolve(chatJson)));
        for (String path : new String[] {chatJson, organization + "/", "organizations/", ".claude-backup/state.db",
                "%2e%2e/.claude-backup/state.db", files + "..%2f..%2f..%2f.claude-backup/state.db", "account.json"}) {
            int status = raw("GET /" + path + " HTTP/1.1");
            assertTrue(status == 404 || status == 400, path + ": " + status);
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request line sent as is (the HTTP client would normalize the path); returns the status. */
    static int raw(String requestLine) throws IOException {
        return raw(requestLine, "127.0.0.1:" + URI.create(server.url()).getPort());
    }

    /** The same with this Host header (the HTTP client sets its own). */
    static int raw(String requestLine, String host) throws IOException {
        URI uri = URI.create(server.url());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.getOutputStream().write((requestLine + "\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes());
            String status = new String(socket.getInputStream().readNBytes(12));
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
