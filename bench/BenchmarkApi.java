// A single-file program beside bench/Benchmark.java, which starts it (java -cp claude-backup.jar bench/BenchmarkApi.java):
// the benchmark's server is no part of the jar users run. It builds its account with the demo's SampleAccount.

import java.io.ByteArrayOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.claudebackup.demo.SampleAccount;

/**
 * The benchmark's claude.ai: a generated account of any size served on loopback, every answer delayed
 * by an injected latency, as its own process so that its work is not the client's. It counts what it
 * is asked (account, list pages, chats), the most requests in flight at once, and its own time per
 * request (after the latency), and it can change chats between runs. Unlike the demo's FakeClaudeApi it
 * keeps no log of requests, so 20,000 of them cost nothing, and it streams answers out in chunks.
 *
 * <pre>
 * java -cp claude-backup.jar bench/BenchmarkApi.java --chats 2000 --organizations 1 --latency-ms 50
 *     [--turns 3] [--big-chat-mb 100] [--port 0] [--seed 1]
 * </pre>
 *
 * It prints {@code READY <base URL>} on stdout and serves until stdin closes. The session key is
 * {@link #SESSION_KEY}. Control (never counted): {@code GET /_bench/stats}, {@code POST /_bench/reset},
 * {@code POST /_bench/latency?ms=L}, {@code POST /_bench/change?count=N} (N chats get a new message, so
 * they move to the front of their lists; the answer says how many per organization).
 */
public final class BenchmarkApi implements AutoCloseable {

    public static final String SESSION_KEY = "sk-ant-sid01-BENCHMARK-not-a-real-key";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern LIST = Pattern.compile("/api/organizations/([^/]+)/chat_conversations(_v2)?");
    /** An account without projects: each organization's project list is empty (memory and styles answer 404, off). */
    private static final Pattern PROJECTS = Pattern.compile("/api/organizations/[^/]+/projects");
    private static final Pattern CHAT = Pattern.compile("/api/organizations/([^/]+)/chat_conversations/([^/]+)");
    private static final int CHUNK = 64 * 1024;

    /** What a request asked for. */
    enum Kind { ACCOUNT, LIST, CHAT, OTHER }

    /** The account to generate. */
    public record Options(int chats, int organizations, int turns, long latencyMillis, int bigChatMegabytes, int port, long seed) {
        public static Options parse(String[] args) {
            Map<String, String> given = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (!arg.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument: " + arg);
                }
                int equals = arg.indexOf('=');
                if (equals > 0) {
                    given.put(arg.substring(2, equals), arg.substring(equals + 1));
                } else if (i + 1 < args.length) {
                    given.put(arg.substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
            }
            Options options = new Options(
                    Integer.parseInt(given.getOrDefault("chats", "2000")),
                    Integer.parseInt(given.getOrDefault("organizations", "1")),
                    Integer.parseInt(given.getOrDefault("turns", "3")),
                    Long.parseLong(given.getOrDefault("latency-ms", "50")),
                    Integer.parseInt(given.getOrDefault("big-chat-mb", "0")),
                    Integer.parseInt(given.getOrDefault("port", "0")),
                    Long.parseLong(given.getOrDefault("seed", "1")));
            given.keySet().removeAll(List.of("chats", "organizations", "turns", "latency-ms", "big-chat-mb", "port", "seed"));
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("unknown options: " + given.keySet());
            }
            return options;
        }
    }

    /** Counts and times of one kind of request. */
    private static final class Counter {
        final LongAdder requests = new LongAdder();
        final LongAdder serviceNanos = new LongAdder();
        final AtomicLong maxServiceNanos = new AtomicLong();
        final LongAdder bytes = new LongAdder();

        void add(long nanos, long length) {
            requests.increment();
            serviceNanos.add(nanos);
            maxServiceNanos.accumulateAndGet(nanos, Math::max);
            bytes.add(length);
        }

        void reset() {
            requests.reset();
            serviceNanos.reset();
            maxServiceNanos.set(0);
            bytes.reset();
        }

        ObjectNode json() {
            ObjectNode node = MAPPER.createObjectNode();
            long count = requests.sum();
            node.put("requests", count);
            node.put("bytes", bytes.sum());
            node.put("service_ms_mean", count == 0 ? 0 : serviceNanos.sum() / 1e6 / count);
            node.put("service_ms_max", maxServiceNanos.get() / 1e6);
            return node;
        }
    }

    private final SampleAccount account;
    private final List<String> organizationUuids;
    private final ServerSocket server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "benchmark-api");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Kind, Counter> counters = new java.util.EnumMap<>(Kind.class);
    private final Counter clientGap = new Counter();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastEnd = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong firstChatStart = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastChatEnd = new AtomicLong(Long.MIN_VALUE);
    private final Random random;
    private final String bigChatUuid;
    private final String bigChatSha256;
    private final long bigChatBytes;
    private final long startNanos = System.nanoTime();
    private volatile long latencyMillis;

    public BenchmarkApi(Options options) throws IOException {
        this.random = new Random(options.seed());
        this.latencyMillis = options.latencyMillis();
        this.account = new SampleAccount();
        List<String> uuids = new ArrayList<>();
        for (int i = 0; i < options.organizations(); i++) {
            uuids.add(account.addOrganization("Benchmark organization " + (i + 1), "chat", "claude_pro").uuid());
        }
        account.addOrganization("API Console", "api");
        this.organizationUuids = List.copyOf(uuids);
        for (int i = 0; i < options.chats(); i++) {
            account.addChat(uuids.get(i % uuids.size()), "Benchmark chat " + (i + 1), options.turns(), i % 5 == 0);
        }
        if (options.bigChatMegabytes() > 0) {
            bigChatUuid = UUID.randomUUID().toString();
            byte[] json = bigChat(bigChatUuid, options.bigChatMegabytes() * 1024L * 1024L);
            account.putRawChat(uuids.get(0), bigChatUuid, "A very long chat", json);
            bigChatSha256 = sha256(json);
            bigChatBytes = json.length;
        } else {
            bigChatUuid = null;
            bigChatSha256 = null;
            bigChatBytes = 0;
        }
        for (Kind kind : Kind.values()) {
            counters.put(kind, new Counter());
        }
        this.server = new ServerSocket(options.port(), 1000, InetAddress.getLoopbackAddress());
        executor.execute(this::accept);
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: BenchmarkApi [--chats N] [--organizations K] [--latency-ms L] [--turns T]"
                    + " [--big-chat-mb M] [--port P] [--seed S]");
            System.exit(2);
            return;
        }
        long started = System.nanoTime();
        try (BenchmarkApi api = new BenchmarkApi(options)) {
            System.err.printf("BenchmarkApi: %d chats in %d organizations%s generated in %.1f s, latency %d ms%n",
                    options.chats(), options.organizations(),
                    options.bigChatMegabytes() > 0 ? " plus one chat of " + api.bigChatBytes + " bytes" : "",
                    (System.nanoTime() - started) / 1e9, options.latencyMillis());
            System.out.println("READY " + api.baseUrl());
            System.out.flush();
            // Serve until whoever started us closes our stdin (or dies).
            while (System.in.read() >= 0) {
                // ignore input
            }
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public void latency(long millis) {
        latencyMillis = millis;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        executor.shutdownNow();
    }

    // --- serving ---

    /**
     * A request as read from the connection. The server is HTTP/1.1 at its simplest: a thread per
     * connection, blocking reads and writes, keep-alive, TCP_NODELAY. Each answer costs no hand-over
     * between threads, so the time a client sees is the latency plus the answer's own making.
     */
    private record Request(String method, String rawPath, String rawQuery, Map<String, String> headers, OutputStream out) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                executor.execute(() -> serve(socket));
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), CHUNK);
            long answered = 0;
            while (true) {
                Request request = read(in, out);
                if (request == null) {
                    return;
                }
                if (answered != 0 && !request.rawPath().startsWith("/_bench/")) {
                    // What the client did between our last answer on this connection and this request.
                    clientGap.add(System.nanoTime() - answered, 0);
                }
                handle(request);
                out.flush();
                answered = System.nanoTime();
                if ("close".equalsIgnoreCase(request.header("Connection"))) {
                    return;
                }
            }
        } catch (SocketException closed) {
            // the client went away
        } catch (IOException | RuntimeException e) {
            System.err.println("BenchmarkApi: " + e);
        }
    }

    /** Reads a request line and headers (and skips a body, which our clients never send); null at the end. */
    private static Request read(InputStream in, OutputStream out) throws IOException {
        String line = line(in);
        while (line != null && line.isEmpty()) {
            line = line(in);
        }
        if (line == null) {
            return null;
        }
        String[] parts = line.split(" ");
        if (parts.length < 2) {
            throw new IOException("bad request line: " + line);
        }
        Map<String, String> headers = new HashMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.put(header.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), header.substring(colon + 1).trim());
            }
        }
        String length = headers.get("content-length");
        if (length != null) {
            in.skipNBytes(Long.parseLong(length));
        }
        int question = parts[1].indexOf('?');
        return new Request(parts[0], question < 0 ? parts[1] : parts[1].substring(0, question),
                question < 0 ? null : parts[1].substring(question + 1), headers, out);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(128);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return line.length() == 0 ? null : line.toString();
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private void handle(Request request) throws IOException {
        String path = request.rawPath();
        if (path.startsWith("/_bench/")) {
            control(request, path.substring("/_bench/".length()));
            return;
        }
        long started = System.nanoTime();
        firstStart.accumulateAndGet(started, Math::min);
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            if (latencyMillis > 0) {
                Thread.sleep(latencyMillis);
            }
            long serviceStarted = System.nanoTime();
            Matcher chat = CHAT.matcher(path);
            Matcher list = LIST.matcher(path);
            Kind kind = path.equals("/api/account") ? Kind.ACCOUNT : chat.matches() ? Kind.CHAT : list.matches() ? Kind.LIST : Kind.OTHER;
            if (kind == Kind.CHAT) {
                firstChatStart.accumulateAndGet(started, Math::min);
            }
            long length = answer(request, kind, chat, list);
            request.out().flush();
            long ended = System.nanoTime();
            counters.get(kind).add(ended - serviceStarted, length);
            lastEnd.accumulateAndGet(ended, Math::max);
            if (kind == Kind.CHAT) {
                lastChatEnd.accumulateAndGet(ended, Math::max);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("stopped");
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private long answer(Request request, Kind kind, Matcher chat, Matcher list) throws IOException {
        String cookie = request.header("Cookie");
        if (cookie == null || !cookie.contains("sessionKey=" + SESSION_KEY)) {
            return send(request, 401, ("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                    + "\"message\":\"Invalid authorization\"}}").getBytes(StandardCharsets.UTF_8));
        }
        switch (kind) {
            case ACCOUNT:
                return send(request, 200, account.accountJson());
            case CHAT: {
                SampleAccount.Organization organization = account.organization(chat.group(1));
                SampleAccount.Chat found = organization == null ? null : account.chat(chat.group(1), chat.group(2));
                return found == null ? notFound(request) : send(request, 200, found.json());
            }
            case LIST: {
                if (account.organization(list.group(1)) == null) {
                    return notFound(request);
                }
                return send(request, 200, chatList(list.group(1), query(request.rawQuery()), list.group(2) != null));
            }
            default:
                return PROJECTS.matcher(request.rawPath()).matches() ? send(request, 200, "[]".getBytes(StandardCharsets.UTF_8))
                        : notFound(request);
        }
    }

    private byte[] chatList(String organizationUuid, Map<String, String> query, boolean v2) throws IOException {
        List<SampleAccount.Chat> chats = account.chatList(organizationUuid);
        int offset = Integer.parseInt(query.getOrDefault("offset", "0"));
        int limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit")) : (v2 ? 50 : Integer.MAX_VALUE);
        ArrayNode page = MAPPER.createArrayNode();
        for (int i = offset; i < chats.size() && i - offset < limit; i++) {
            page.add(SampleAccount.listEntry(chats.get(i)));
        }
        if (!v2) {
            return MAPPER.writeValueAsBytes(page);
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.set("data", page);
        body.put("has_more", offset + page.size() < chats.size());
        return MAPPER.writeValueAsBytes(body);
    }

    private static long notFound(Request request) throws IOException {
        return send(request, 404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"Not found\"}}"
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the answer under its Content-Length, the body in chunks as a server streams a large one. */
    private static long send(Request request, int status, byte[] body) throws IOException {
        OutputStream out = request.out();
        String reason = switch (status) {
            case 200 -> "OK";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            default -> "Status";
        };
        out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int at = 0; at < body.length; at += CHUNK) {
            out.write(body, at, Math.min(CHUNK, body.length - at));
        }
        return body.length;
    }

    // --- control ---

    private void control(Request request, String command) throws IOException {
        Map<String, String> query = query(request.rawQuery());
        ObjectNode answer;
        switch (command) {
            case "stats" -> answer = stats();
            case "reset" -> {
                reset();
                answer = stats();
            }
            case "latency" -> {
                latency(Long.parseLong(query.getOrDefault("ms", "0")));
                answer = MAPPER.createObjectNode().put("latency_ms", latencyMillis);
            }
            case "change" -> answer = change(Integer.parseInt(query.getOrDefault("count", "1")));
            default -> {
                send(request, 404, "{}".getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        send(request, 200, MAPPER.writeValueAsBytes(answer));
    }

    private synchronized void reset() {
        counters.values().forEach(Counter::reset);
        clientGap.reset();
        maxInFlight.set(0);
        firstStart.set(Long.MAX_VALUE);
        lastEnd.set(Long.MIN_VALUE);
        firstChatStart.set(Long.MAX_VALUE);
        lastChatEnd.set(Long.MIN_VALUE);
    }

    private synchronized ObjectNode stats() {
        ObjectNode stats = MAPPER.createObjectNode();
        stats.put("latency_ms", latencyMillis);
        stats.put("max_in_flight", maxInFlight.get());
        long total = 0;
        ObjectNode byKind = stats.putObject("by_kind");
        for (Map.Entry<Kind, Counter> entry : counters.entrySet()) {
            byKind.set(entry.getKey().name().toLowerCase(java.util.Locale.ROOT), entry.getValue().json());
            total += entry.getValue().requests.sum();
        }
        stats.put("requests", total);
        ObjectNode gap = clientGap.json();
        stats.put("client_gap_ms_mean", gap.path("service_ms_mean").asDouble());
        stats.put("client_gap_ms_max", gap.path("service_ms_max").asDouble());
        stats.put("span_seconds", lastEnd.get() == Long.MIN_VALUE ? 0 : (lastEnd.get() - firstStart.get()) / 1e9);
        stats.put("chat_span_seconds", lastChatEnd.get() == Long.MIN_VALUE ? 0 : (lastChatEnd.get() - firstChatStart.get()) / 1e9);
        stats.put("first_request_ms", firstStart.get() == Long.MAX_VALUE ? -1 : (firstStart.get() - startNanos) / 1e6);
        stats.put("last_answer_ms", lastEnd.get() == Long.MIN_VALUE ? -1 : (lastEnd.get() - startNanos) / 1e6);
        stats.put("now_ms", (System.nanoTime() - startNanos) / 1e6);
        if (bigChatUuid != null) {
            ObjectNode big = stats.putObject("big_chat");
            big.put("uuid", bigChatUuid);
            big.put("organization", organizationUuids.get(0));
            big.put("bytes", bigChatBytes);
            big.put("sha256", bigChatSha256);
        }
        ArrayNode organizations = stats.putArray("organizations");
        organizationUuids.forEach(organizations::add);
        return stats;
    }

    /** {@code count} distinct chats (never the big one) get a new message: they move to the front of their lists. */
    private synchronized ObjectNode change(int count) {
        Map<String, List<String>> candidates = new LinkedHashMap<>();
        int total = 0;
        for (String organization : organizationUuids) {
            List<String> uuids = new ArrayList<>();
            for (SampleAccount.Chat chat : account.chatList(organization)) {
                if (!chat.uuid().equals(bigChatUuid)) {
                    uuids.add(chat.uuid());
                }
            }
            candidates.put(organization, uuids);
            total += uuids.size();
        }
        ObjectNode changed = MAPPER.createObjectNode();
        organizationUuids.forEach(organization -> changed.put(organization, 0));
        for (int i = 0; i < Math.min(count, total); i++) {
            int pick = random.nextInt(total - i);
            for (Map.Entry<String, List<String>> entry : candidates.entrySet()) {
                List<String> uuids = entry.getValue();
                if (pick < uuids.size()) {
                    String uuid = uuids.remove(pick);
                    account.updateChat(entry.getKey(), uuid);
                    changed.put(entry.getKey(), changed.path(entry.getKey()).asInt() + 1);
                    break;
                }
                pick -= uuids.size();
            }
        }
        return MAPPER.createObjectNode().set("changed", changed);
    }

    // --- the account ---

    /**
     * A chat of about {@code size} bytes of JSON: many long messages with escapes and non-ASCII text,
     * written straight to bytes (a tree of this size would need several times the memory).
     */
    static byte[] bigChat(String uuid, long size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) size + 64 * 1024);
        String at = "2025-06-01T10:00:00.000000Z";
        write(out, "{\"uuid\":\"" + uuid + "\",\"name\":\"A very long chat\",\"summary\":\"\",\"model\":\"claude-sonnet-4-5-20250929\","
                + "\"created_at\":\"" + at + "\",\"updated_at\":\"" + at + "\",\"settings\":{},\"is_starred\":false,"
                + "\"project_uuid\":null,\"chat_messages\":[");
        String paragraph = "Lorem ipsum dolor sit amet, \\\"quoted\\\" Ünïcödé ✓ 🎉 and a\\nnewline; ".repeat(160);
        String parent = "00000000-0000-4000-8000-000000000000";
        int index = 0;
        while (out.size() < size) {
            String messageUuid = new UUID(0x4242_0000_0000_4000L | index, 0x8000_0000_0000_0000L | index).toString();
            write(out, (index == 0 ? "" : ",") + "{\"uuid\":\"" + messageUuid + "\",\"index\":" + index + ",\"sender\":\""
                    + (index % 2 == 0 ? "human" : "assistant") + "\",\"parent_message_uuid\":\"" + parent
                    + "\",\"text\":\"\",\"content\":[{\"type\":\"text\",\"text\":\"" + index + ": " + paragraph
                    + "\",\"citations\":[]}],\"created_at\":\"" + at + "\",\"updated_at\":\"" + at
                    + "\",\"truncated\":false,\"attachments\":[],\"files\":[],\"files_v2\":[],\"sync_sources\":[]}");
            parent = messageUuid;
            index++;
        }
        write(out, "],\"current_leaf_message_uuid\":\"" + parent + "\"}");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                query.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return query;
    }
}
