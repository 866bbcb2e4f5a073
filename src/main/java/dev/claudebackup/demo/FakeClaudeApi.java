package dev.claudebackup.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * claude.ai's API as far as claude-backup uses it, served on loopback from a {@link SampleAccount}:
 * the account, the chat lists (v1 and v2), the chats, and the projects, memory and styles. {@code --demo} runs it inside the process;
 * the tests run it with faults injected ({@link #intercept}) and read what it was asked
 * ({@link #requests}); the benchmark runs it as its own process ({@link #main}).
 */
public final class FakeClaudeApi implements AutoCloseable {

    /** The demo's made-up key; any other is refused, as claude.ai refuses an expired one. */
    public static final String DEMO_SESSION_KEY = "sk-ant-sid01-DEMO-not-a-real-key";

    private static final long DEMO_SEED = 20250601L;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern LIST = Pattern.compile("/api/organizations/([^/]+)/chat_conversations(_v2)?");
    private static final Pattern CHAT = Pattern.compile("/api/organizations/([^/]+)/chat_conversations/([^/]+)");
    private static final Pattern PROJECTS = Pattern.compile("/api/organizations/([^/]+)/projects");
    /** A file's bytes: no organizations/ segment. */
    private static final Pattern FILE = Pattern.compile("/api/([^/]+)/files/([^/]+)/(preview|thumbnail|document_pdf)");
    /** The bytes of every project file: a one-page PDF that says so. */
    private static final byte[] SAMPLE_PDF = ("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            + "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            + "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n"
            + "trailer<</Root 1 0 R>>\n%%EOF\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final Pattern PROJECT = Pattern.compile("/api/organizations/([^/]+)/projects/([^/]+)(/docs|/files)?");
    private static final Pattern MEMORY = Pattern.compile("/api/organizations/([^/]+)/memory");
    private static final Pattern STYLES = Pattern.compile("/api/organizations/([^/]+)/list_styles");

    /** A request as the server saw it. */
    public record Request(String method, String path, Map<String, String> query, Map<String, List<String>> headers, long startedNanos) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /**
     * An answer made by a test instead of the account's. A {@code Content-Length} header larger than the
     * body announces more than is sent: the connection is closed after the body, cut short.
     */
    public record Response(int status, Map<String, String> headers, byte[] body, int chunks, long pauseMillis) {
        /** Not an answer: the connection is closed without one, as a reset or a dying proxy would. */
        public static final Response DROP_CONNECTION = new Response(0, Map.of(), new byte[0]);

        public Response(int status, Map<String, String> headers, byte[] body) {
            this(status, headers, body, 1, 0);
        }

        /** This answer's body sent in {@code chunks} equal parts, with a pause before each but the first: a slow link. */
        public Response trickled(int chunks, long pauseMillis) {
            return new Response(status, headers, body, chunks, pauseMillis);
        }

        public static Response json(int status, String body) {
            return new Response(status, Map.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8));
        }

        /** The first {@code sent} bytes of this answer, under a Content-Length that promises all of it. */
        public Response cutShort(int sent) {
            Map<String, String> announced = new HashMap<>(headers);
            announced.put("Content-Length", Integer.toString(body.length));
            return new Response(status, announced, java.util.Arrays.copyOf(body, Math.min(sent, body.length)), chunks, pauseMillis);
        }
    }

    /** A fault or a change injected by a test: an answer to send instead, or empty to answer normally. */
    @FunctionalInterface
    public interface Interceptor {
        Optional<Response> intercept(Request request) throws IOException;
    }

    private final SampleAccount account;
    private final String sessionKey;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-claude-api");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Interceptor> interceptors = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile long latencyMillis;
    private volatile boolean v1ListGone;

    public FakeClaudeApi(SampleAccount account, String sessionKey) throws IOException {
        this.account = account;
        this.sessionKey = sessionKey;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The demo: a few organizations, one without chats, branched chats and odd names. */
    public static FakeClaudeApi startDemo() {
        try {
            return new FakeClaudeApi(demoAccount(), DEMO_SESSION_KEY);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the demo API on loopback: " + e.getMessage(), e);
        }
    }

    /**
     * The demo account: the same every time (uuids from a fixed seed, dates from a fixed clock), so that
     * a second {@code --demo} into the same folder is an incremental run that fetches nothing.
     */
    public static SampleAccount demoAccount() {
        SampleAccount account = new SampleAccount(DEMO_SEED);
        var personal = account.addOrganization("Personal", "chat", "claude_pro");
        account.addChat(personal.uuid(), "Fixing dry falafel centers", 2, false);
        account.addChat(personal.uuid(), "Fetty Wap name origin", 1, true);
        account.addChat(personal.uuid(), "What's 1/3 + 1/6? <math> \"quotes\" | pipes * stars", 3, true);
        account.addChat(personal.uuid(), "Tabs\tand\nnewlines\rand a bell \u0007", 1, false);
        account.addChat(personal.uuid(), "", 1, false);
        account.addChat(personal.uuid(), "Ünïcödé and emoji 🎉 " + "long ".repeat(80), 1, false);
        account.addChat(personal.uuid(), "../../../etc/passwd", 1, false);
        var team = account.addOrganization("Acme Team: Research/Dev", "chat", "claude_team");
        account.addChat(team.uuid(), "Quarterly planning", 2, true);
        account.addChat(team.uuid(), "Refactoring the parser", 4, false);
        // A project with instructions and two knowledge docs, its memory, the organization's memory and a style of one's own.
        var garden = account.addProject(personal.uuid(), "Kitchen garden",
                "You help me plan a small kitchen garden. Answer briefly; metric units.");
        account.addDoc(personal.uuid(), garden.uuid(), "beds.md", "# Beds\n\n- North bed: herbs\n- South bed: tomatoes, beans", true);
        account.addDoc(personal.uuid(), garden.uuid(), "sowing-calendar.txt", "March: peas. April: carrots, beets. May: beans.", true);
        account.addProjectFile(personal.uuid(), garden.uuid(), "soil-test.pdf");
        account.setProjectMemory(personal.uuid(), garden.uuid(), "The garden is 4 x 6 m, clay soil, full sun in the south bed.");
        account.setMemory(personal.uuid(), "Demo Person cooks a lot, and likes short answers with the reasons.");
        account.addCustomStyle(personal.uuid(), "Plain and brief", "Write plainly and briefly. No lists unless asked.");
        account.addOrganization("API Console", "api");
        return account;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public SampleAccount account() {
        return account;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    public void intercept(Interceptor interceptor) {
        interceptors.add(interceptor);
    }

    public void clearInterceptors() {
        interceptors.clear();
    }

    /** Every answer waits this long first, like a server far away. */
    public void latency(long millis) {
        latencyMillis = millis;
    }

    /** The v1 list answers 404, as it would once claude.ai retired it. */
    public void retireV1List() {
        v1ListGone = true;
    }

    /** The most requests that were in flight at once. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try (exchange) {
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    query(exchange.getRequestURI().getRawQuery()), lowerCased(exchange.getRequestHeaders()), System.nanoTime());
            requests.add(request);
            if (latencyMillis > 0) {
                Thread.sleep(latencyMillis);
            }
            Response response = null;
            for (Interceptor interceptor : interceptors) {
                Optional<Response> injected = interceptor.intercept(request);
                if (injected.isPresent()) {
                    response = injected.get();
                    break;
                }
            }
            if (response == null) {
                response = answer(request);
            }
            if (response != Response.DROP_CONNECTION) {
                send(exchange, response); // else closing the exchange unanswered closes the connection
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private Response answer(Request request) throws IOException {
        String cookie = request.header("Cookie");
        if (cookie == null || !cookie.equals("sessionKey=" + sessionKey)) {
            return Response.json(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                    + "\"message\":\"Invalid authorization\",\"details\":{\"error_code\":\"account_session_invalid\"}}}");
        }
        if (request.path().equals("/api/account")) {
            return new Response(200, Map.of("Content-Type", "application/json"), account.accountJson());
        }
        Matcher chat = CHAT.matcher(request.path());
        if (chat.matches()) {
            SampleAccount.Organization organization = account.organization(chat.group(1));
            SampleAccount.Chat found = organization == null ? null : account.chat(chat.group(1), chat.group(2));
            return found == null ? notFound() : new Response(200, Map.of("Content-Type", "application/json"), found.json());
        }
        Matcher list = LIST.matcher(request.path());
        if (list.matches() && account.organization(list.group(1)) != null) {
            boolean v2 = list.group(2) != null;
            if (!v2 && v1ListGone) {
                return notFound();
            }
            return chatList(list.group(1), request.query(), v2);
        }
        return projectsAnswer(request);
    }

    /** The projects, their docs, files and memory, the organization's memory and styles; 404 for anything else. */
    private Response projectsAnswer(Request request) {
        Matcher projects = PROJECTS.matcher(request.path());
        if (projects.matches() && account.organization(projects.group(1)) != null) {
            return json(account.projectListJson(projects.group(1)));
        }
        Matcher project = PROJECT.matcher(request.path());
        if (project.matches()) {
            String organization = project.group(1);
            String part = project.group(3);
            return json(part == null ? account.projectJson(organization, project.group(2))
                    : part.equals("/docs") ? account.projectDocsJson(organization, project.group(2))
                    : account.projectFilesJson(organization, project.group(2)));
        }
        Matcher memory = MEMORY.matcher(request.path());
        if (memory.matches()) {
            String projectUuid = request.query().get("project_uuid");
            return json(projectUuid == null ? account.memoryJson(memory.group(1)) : account.projectMemoryJson(memory.group(1), projectUuid));
        }
        Matcher styles = STYLES.matcher(request.path());
        if (styles.matches() && account.organization(styles.group(1)) != null) {
            return json(account.stylesJson(styles.group(1)));
        }
        Matcher file = FILE.matcher(request.path());
        if (file.matches() && account.isProjectFile(file.group(1), file.group(2))) {
            return new Response(200, Map.of("Content-Type", "application/pdf"), SAMPLE_PDF);
        }
        return notFound();
    }

    private static Response json(byte[] body) {
        return body == null ? notFound() : new Response(200, Map.of("Content-Type", "application/json"), body);
    }

    private Response chatList(String organizationUuid, Map<String, String> query, boolean v2) throws IOException {
        List<SampleAccount.Chat> chats = account.chatList(organizationUuid);
        int offset = Integer.parseInt(query.getOrDefault("offset", "0"));
        int limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit")) : (v2 ? 50 : Integer.MAX_VALUE);
        ArrayNode page = MAPPER.createArrayNode();
        for (int i = offset; i < chats.size() && i - offset < limit; i++) {
            page.add(SampleAccount.listEntry(chats.get(i)));
        }
        if (!v2) {
            return new Response(200, Map.of("Content-Type", "application/json"), MAPPER.writeValueAsBytes(page));
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.set("data", page);
        body.put("has_more", offset + page.size() < chats.size());
        return new Response(200, Map.of("Content-Type", "application/json"), MAPPER.writeValueAsBytes(body));
    }

    private static Response notFound() {
        return Response.json(404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"Not found\"}}");
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        byte[] body = response.body() == null ? new byte[0] : response.body();
        long length = body.length;
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            if (header.getKey().equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(header.getValue()); // a promise the body may not keep (cutShort)
            } else {
                exchange.getResponseHeaders().add(header.getKey(), header.getValue());
            }
        }
        exchange.sendResponseHeaders(response.status(), length == 0 ? -1 : length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                int chunks = Math.max(1, response.chunks());
                int size = (body.length + chunks - 1) / chunks;
                for (int from = 0; from < body.length; from += size) {
                    if (from > 0 && response.pauseMillis() > 0) {
                        try {
                            Thread.sleep(response.pauseMillis());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                    out.write(body, from, Math.min(size, body.length - from));
                    out.flush();
                }
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                query.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static Map<String, List<String>> lowerCased(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new HashMap<>();
        headers.forEach((name, values) -> copy.put(name.toLowerCase(java.util.Locale.ROOT), new ArrayList<>(values)));
        return copy;
    }
}
