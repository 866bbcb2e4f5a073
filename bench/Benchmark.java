// claude-backup's benchmark: throughput, request count, memory and CPU, measured against the limits.
//
// Run it with bench/run (which builds the jar first); by hand:
//   java -cp target/claude-backup.jar bench/Benchmark.java [--runs 3] [--cases L1,L2,1,2,3,4,5,6] [--quick]
//        [--results bench/RESULTS.md] [--max-busy 15] [--quiet-wait 900] [--jar JAR] [--jvm-option OPT]...
//        [--launcher bin/claude-backup | --launcher none] [--before-jar JAR] [--peer /tmp/peer/claude-backup]
//
// Each case starts the loopback BenchmarkApi (bench/BenchmarkApi.java, on the jar's classpath) as its own
// process with a generated account and an injected latency, runs the tool against it as a process under
// /usr/bin/time -v (CPU and peak memory of that process, from the OS), and reads the server's counts.
// The tool runs as users run it: through the launcher bin/claude-backup (its JVM options and class archive);
// --launcher none runs java -jar. The lean cases L1 and L2 also run --before-jar (java -jar, as it was run
// before the launcher) and the Python claude-backup (--peer, built by ../shared/peer/setup.sh) side by side.

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

public class Benchmark {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SESSION_KEY = "sk-ant-sid01-BENCHMARK-not-a-real-key";
    static final String BEGIN = "<!-- benchmark results: begin (written by bench/run) -->";
    static final String END = "<!-- benchmark results: end -->";

    // options
    static int runs = 3;
    static List<String> cases = List.of("L1", "L2", "1", "2", "3", "4", "5", "6");
    static boolean quick;
    static Path results;
    static double maxBusy = 15;
    static int quietWait = 900;
    static Path jar = Path.of("target/claude-backup.jar");
    static Path work = Path.of("target/bench");
    static int pageSize = 100;
    static final List<String> extraJvmOptions = new ArrayList<>();
    static Path launcher = Path.of("bin/claude-backup");
    static Path beforeJar;
    static Path peer = Path.of("/tmp/peer/claude-backup");

    /** How the tool is started: what users run now (the launcher), the jar as it was run before, or the Python tool. */
    enum Tool {
        AFTER("claude-backup", Map.of()),
        NO_READABLE("claude-backup without the readable copy", Map.of("READABLE_ENABLED", "false")),
        CHATS_ONLY("claude-backup without readable copy and search index", Map.of("READABLE_ENABLED", "false", "SEARCH_ENABLED", "false")),
        BEFORE("claude-backup before (java -jar)", Map.of()),
        PYTHON("the Python tool", Map.of());

        final String title;
        /** Properties set through the environment: the derived copies switched off, to measure what each costs. */
        final Map<String, String> environment;

        Tool(String title, Map<String, String> environment) {
            this.title = title;
            this.environment = environment;
        }

        boolean isOurs() {
            return this == AFTER || this == NO_READABLE || this == CHATS_ONLY;
        }
    }

    static final List<LeanRow> leanRows = new ArrayList<>();

    static final List<Row> rows = new ArrayList<>();
    static final List<String> details = new ArrayList<>();
    static final List<String> apiChecks = new ArrayList<>();
    static final List<String> notes = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--cases" -> cases = List.of(args[++i].split(","));
                case "--quick" -> quick = true;
                case "--results" -> results = Path.of(args[++i]);
                case "--max-busy" -> maxBusy = Double.parseDouble(args[++i]);
                case "--quiet-wait" -> quietWait = Integer.parseInt(args[++i]);
                case "--jar" -> jar = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--jvm-option" -> extraJvmOptions.add(args[++i]);
                case "--launcher" -> {
                    String value = args[++i];
                    launcher = value.equals("none") ? null : Path.of(value);
                }
                case "--before-jar" -> beforeJar = Path.of(args[++i]);
                case "--peer" -> peer = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (quick && runs == 3) {
            runs = 1;
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": run mvn package first (bench/run does)");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/time"))) {
            throw new IllegalStateException("/usr/bin/time is missing: apt-get install time");
        }
        boolean full = leftFull();
        Instant deleted = lastDeletion();
        deleteTree(work);
        if (full) {
            deleted = Instant.now(); // deleted just now, by this benchmark
        }
        Files.createDirectories(work);
        letDeletedInodesAge(deleted);
        log("Machine: " + machine());
        log("claude-backup: " + git("describe", "--always", "--dirty") + " (" + git("log", "-1", "--format=%cI") + ")");
        if (launcher != null) {
            // The launcher makes its class archive once, before the first run it starts: made here, outside any measurement.
            ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            launcherEnvironment(builder.environment(), List.of());
            int exit = builder.start().waitFor();
            log("launcher " + launcher + ": class archive " + work.resolve("claude-backup.jsa") + " made (exit " + exit + ", "
                    + Files.size(work.resolve("claude-backup.jsa")) / 1024 / 1024 + " MB)");
        }
        if (beforeJar != null && !Files.isRegularFile(beforeJar)) {
            throw new IllegalStateException("no " + beforeJar);
        }
        if (!Files.isExecutable(peer)) {
            log("no Python tool at " + peer + " (sh ../shared/peer/setup.sh builds it): its columns stay empty");
            peer = null;
        }
        if (cases.contains("L1") || cases.contains("L2")) {
            casesLean();
        }

        // The two accounts of 20,000 chats take a while to back up once; each is set up when first needed.
        if (cases.contains("1") || cases.contains("6")) {
            caseFull2000();
        }
        if (cases.contains("2")) {
            caseDelay300();
        }
        if (cases.contains("3") || cases.contains("4")) {
            casesIncremental();
        }
        if (cases.contains("5")) {
            caseMemory();
        }
        for (Path dir : backupsMade) {
            deleteTree(dir);
        }
        Files.writeString(work.resolve(DELETED_AT), Instant.now().toString());
        String report = report();
        System.out.println();
        System.out.println(report);
        if (results != null) {
            writeResults(report);
            log("Results written to " + results);
        }
    }

    // --- the cases ---------------------------------------------------------------------------------------

    /**
     * L1 and L2, the side by side: a full backup of 3,000 chats of about 3 turns on loopback (no
     * latency, 6 connections, no delay), then a run with nothing new on that backup, by each tool in turn
     * (interleaved, so a change in the machine's load falls on every tool alike).
     */
    static void casesLean() throws Exception {
        int chats = 3000;
        List<Tool> tools = new ArrayList<>(List.of(Tool.AFTER, Tool.NO_READABLE, Tool.CHATS_ONLY));
        if (beforeJar != null) {
            tools.add(Tool.BEFORE);
        }
        if (peer != null) {
            tools.add(Tool.PYTHON);
        }
        Map<Tool, List<Run>> full = new java.util.EnumMap<>(Tool.class);
        Map<Tool, List<Run>> idle = new java.util.EnumMap<>(Tool.class);
        try (Api api = Api.start(chats, 1, 0, 0, "1g")) {
            for (int i = 1; i <= runs; i++) {
                for (Tool tool : tools) {
                    Path dir = freshDir("lean-" + tool.name().toLowerCase(Locale.ROOT) + "-" + i);
                    Run run = run(tool, api, "L1", i, List.of(), 6, 0.0, dir);
                    run.check(run.exit == 0, "exit " + run.exit);
                    run.check(run.chatRequests() == chats, "chat requests " + run.chatRequests() + " != " + chats);
                    run.check(countChatFiles(run.dir) == chats, "files " + countChatFiles(run.dir));
                    full.computeIfAbsent(tool, t -> new ArrayList<>()).add(run);
                    if (cases.contains("L2")) {
                        Run again = run(tool, api, "L2", i, List.of(), 6, 0.0, dir);
                        again.check(again.exit == 0, "exit " + again.exit);
                        if (tool != Tool.PYTHON) {
                            // the account, one list page, and (since issue 11) the project list
                            long projects = tool == Tool.BEFORE ? 0 : 1;
                            again.check(again.kind("account") == 1 && again.kind("list") == 1 && again.kind("chat") == 0
                                    && again.kind("other") == projects, "requests " + again.requestsText() + ", wanted 1+1+0+" + projects);
                        } else {
                            again.note = "it fetches every chat again";
                        }
                        idle.computeIfAbsent(tool, t -> new ArrayList<>()).add(again);
                    }
                    deleteAtTheEnd(dir);
                }
            }
        }
        LeanRow python = null;
        if (cases.contains("L1")) {
            List<LeanRow> rowsL1 = new ArrayList<>();
            for (Tool tool : tools) {
                rowsL1.add(new LeanRow("L1", "Full backup, 3,000 chats, L=0, c=6, D=0", tool, full.get(tool)));
            }
            python = rowsL1.stream().filter(r -> r.tool == Tool.PYTHON).findFirst().orElse(null);
            LeanRow after = rowsL1.get(0);
            if (python != null) {
                double cpuLimit = 1.5 * python.median(Run::cpuSeconds);
                double rssLimit = 2 * python.median(r -> r.maxRssKb) / 1024.0;
                after.target = String.format(Locale.ROOT, "CPU ≤ 1.5 × the Python tool's = %.2f s; peak RSS ≤ 2 × = %.0f MB", cpuLimit, rssLimit);
                after.met = after.ok() && after.median(Run::cpuSeconds) <= cpuLimit && after.median(r -> r.maxRssKb) / 1024.0 <= rssLimit;
            } else {
                after.target = "CPU ≤ 1.5 ×, peak RSS ≤ 2 × the Python tool's (not measured: no --peer)";
                after.met = false;
            }
            leanRows.addAll(rowsL1);
        }
        if (cases.contains("L2")) {
            for (Tool tool : tools) {
                LeanRow row = new LeanRow("L2", "A run with nothing new, on that backup", tool, idle.get(tool));
                if (tool == Tool.AFTER) {
                    row.target = "≤ 1.0 CPU s and ≤ 1.0 s process wall, JVM start included; 1+1+0 requests and the project list";
                    row.met = row.ok() && row.median(Run::cpuSeconds) <= 1.0 && row.median(r -> r.processWall) <= 1.0;
                } else if (tool == Tool.PYTHON) {
                    row.target = "(it fetches all 3,000 chats again)";
                }
                leanRows.add(row);
            }
        }
    }

    static void caseFull2000() throws Exception {
        int chats = quick ? 300 : 2000;
        try (Api api = Api.start(chats, 1, 50, 0, "1g")) {
            apiAlone(api, 6, chats);
            List<Run> full = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                Run run = runJar(api, "1", i, List.of(), 6, 0.0, freshDir("case1-" + i));
                run.check(run.exit == 0, "exit " + run.exit);
                run.check(run.chatRequests() == chats, "chat requests " + run.chatRequests() + " != " + chats);
                run.check(countChatFiles(run.dir) == chats, "files " + countChatFiles(run.dir));
                full.add(run);
                deleteAtTheEnd(run.dir);
            }
            double bound = chats * Math.max(0, 0.050 / 6);
            if (cases.contains("1")) {
                Row row = new Row("1", "Full backup", chats, 6, 50, 0.0, full, bound);
                row.target = "bound/run ≥ 0.90 (throughput ≥ 90% of c/L)";
                row.met = row.median(r -> r.ok ? 1 : 0) == 1 && bound / row.median(r -> r.runSeconds) >= 0.90;
                rows.add(row);
            }
            if (cases.contains("6")) {
                Row row = new Row("6", "CPU of the full backup (case 1's runs)", chats, 6, 50, 0.0, full, bound);
                double cpu = row.median(Run::cpuSeconds);
                row.target = String.format(Locale.ROOT, "recorded: %.2f CPU s, %.2f ms per chat", cpu, cpu * 1000 / chats);
                row.met = true;
                rows.add(row);
            }
        }
    }

    static void caseDelay300() throws Exception {
        int chats = quick ? 50 : 300;
        try (Api api = Api.start(chats, 1, 50, 0, "1g")) {
            List<Run> list = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                Run run = runJar(api, "2", i, List.of(), 6, 0.1, freshDir("case2-" + i));
                run.check(run.exit == 0, "exit " + run.exit);
                run.check(run.chatRequests() == chats, "chat requests " + run.chatRequests());
                run.check(countChatFiles(run.dir) == chats, "files " + countChatFiles(run.dir));
                list.add(run);
                deleteAtTheEnd(run.dir);
            }
            double bound = chats * Math.max(0.1, 0.050 / 6);
            Row row = new Row("2", "Full backup, success delay", chats, 6, 50, 0.1, list, bound);
            row.target = "run within 10% of N×D";
            double runSeconds = row.median(r -> r.runSeconds);
            row.met = row.median(r -> r.ok ? 1 : 0) == 1 && Math.abs(runSeconds - bound) <= 0.10 * bound;
            rows.add(row);
        }
    }

    static void casesIncremental() throws Exception {
        int chats = quick ? 2000 : 20000;
        try (Api api = Api.start(chats, 3, 0, 0, "2g")) {
            // The first backup, not measured as a case: everything, as fast as the client goes.
            Path dir = work.resolve("case3-backup");
            Run setup = runJar(api, "setup", 1, List.of(), 6, 0.0, dir);
            setup.check(setup.exit == 0 && countChatFiles(dir) == chats, "setup backup incomplete: exit " + setup.exit);
            details.add(String.format(Locale.ROOT, "Set-up of cases 3 and 4 (full backup of %d chats in 3 organizations, c=6, L=0, D=0, not a case): "
                            + "process %.2f s, run %.2f s (%.0f chats/s), %s requests, peak RSS %.0f MB, CPU %.1f s",
                    chats, setup.processWall, setup.runSeconds, chats / setup.runSeconds, setup.requestsText(),
                    setup.maxRssKb / 1024.0, setup.cpuSeconds()));
            if (!setup.ok) {
                throw new IllegalStateException("the set-up backup failed: " + setup.problems + "\n" + Files.readString(setup.stderr));
            }
            api.latency(50);
            if (cases.contains("3")) {
                incrementalNothingNew(api, "3", "Incremental, nothing new", List.of(), chats, dir);
            }
            if (cases.contains("4")) {
                List<Run> list = new ArrayList<>();
                int allowedMax = 0;
                for (int i = 1; i <= runs; i++) {
                    JsonNode changed = api.control("change?count=50").path("changed");
                    int allowed = 0;
                    List<String> perOrganization = new ArrayList<>();
                    for (var field : (Iterable<Map.Entry<String, JsonNode>>) changed::fields) {
                        int k = field.getValue().asInt();
                        allowed += (k + 1 + pageSize - 1) / pageSize;
                        perOrganization.add(Integer.toString(k));
                    }
                    allowedMax = Math.max(allowedMax, allowed);
                    Run run = runJar(api, "4", i, List.of(), 6, 0.1, dir);
                    run.note = "changed per organization: " + String.join("+", perOrganization) + ", list pages allowed " + allowed;
                    run.check(run.exit == 0, "exit " + run.exit);
                    run.check(run.kind("chat") == 50, "chat requests " + run.kind("chat") + " != 50");
                    run.check(run.kind("list") <= allowed, "list requests " + run.kind("list") + " > " + allowed);
                    run.check(run.kind("account") == 1, "account requests " + run.kind("account"));
                    list.add(run);
                }
                Row row = new Row("4", "Incremental, 50 changed", chats, 6, 50, 0.1, list, 50 * 0.1);
                row.target = "50 chat requests, lists ≤ Σ⌈(k+1)/P⌉ (P=" + pageSize + ", here " + allowedMax + ")";
                row.met = list.stream().allMatch(r -> r.ok);
                rows.add(row);
            }
            deleteAtTheEnd(dir);
        }
    }

    static void incrementalNothingNew(Api api, String id, String title, List<String> jvmOptions, int chats, Path dir) throws Exception {
        List<Run> list = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            Run run = runJar(api, id, i, jvmOptions, 6, 0.1, dir);
            run.check(run.exit == 0, "exit " + run.exit);
            run.check(run.kind("account") == 1 && run.kind("list") == 3 && run.kind("chat") == 0 && run.kind("other") == 3,
                    "requests " + run.requestsText() + ", wanted 1+3+0 and the 3 project lists");
            run.check(run.processWall < 3.0, String.format(Locale.ROOT, "process wall %.2f s ≥ 3 s", run.processWall));
            list.add(run);
        }
        Row row = new Row(id, title, chats, 6, 50, 0.1, list, 0);
        row.target = "exactly 1+3 requests, process wall < 3 s";
        row.met = list.stream().allMatch(r -> r.ok) && row.median(r -> r.processWall) < 3.0;
        rows.add(row);
    }

    static void caseMemory() throws Exception {
        int chats = quick ? 2000 : 20000;
        int megabytes = quick ? 20 : 100;
        int latency = 10;
        try (Api api = Api.start(chats, 3, latency, megabytes, "3g")) {
            JsonNode big = api.control("stats").path("big_chat");
            List<Run> list = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                Run run = runJar(api, "5", i, List.of("-Xmx256m"), 6, 0.0, freshDir("case5-" + i));
                run.check(run.exit == 0, "exit " + run.exit);
                run.check(countChatFiles(run.dir) == chats + 1, "files " + countChatFiles(run.dir) + " != " + (chats + 1));
                Path file;
                try (Stream<Path> found = Files.find(run.dir.resolve("organizations"), 3,
                        (path, attributes) -> path.getFileName().toString().endsWith(big.path("uuid").asText() + ".json"))) {
                    file = found.findFirst().orElse(null);
                }
                if (file == null) {
                    run.check(false, "the big chat's file is missing");
                } else {
                    long size = Files.size(file);
                    String sha = sha256(file);
                    boolean equal = size == big.path("bytes").asLong() && sha.equals(big.path("sha256").asText());
                    run.note = String.format(Locale.ROOT, "big chat %d bytes, sha-256 %s… %s the API's", size, sha.substring(0, 12),
                            equal ? "equal to" : "DIFFERENT from");
                    run.check(equal, "the big chat's file differs from the API's answer");
                }
                list.add(run);
                deleteAtTheEnd(run.dir);
            }
            Row row = new Row("5", "Memory: full backup + one " + megabytes + " MB chat, -Xmx256m", chats + 1, 6, latency, 0.0, list,
                    (chats + 1) * (latency / 1000.0 / 6));
            row.target = "completes, the " + megabytes + " MB file equal to the API's";
            row.met = list.stream().allMatch(r -> r.ok);
            rows.add(row);
        }
    }

    /**
     * The API alone under c concurrent clients: it must answer faster than the client asks. Each client
     * is a thread with its own kept-alive connection, blocking, as lean as a client can be.
     */
    static void apiAlone(Api api, int connections, int chats) throws Exception {
        JsonNode stats = api.control("stats");
        String organization = stats.path("organizations").get(0).asText();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        JsonNode list = JSON.readTree(client.send(request(api.url + "/api/organizations/" + organization
                + "/chat_conversations?limit=" + chats + "&offset=0"), HttpResponse.BodyHandlers.ofByteArray()).body());
        List<String> paths = new ArrayList<>();
        list.forEach(entry -> paths.add("/api/organizations/" + organization + "/chat_conversations/" + entry.path("uuid").asText()
                + "?tree=True&rendering_mode=messages&render_all_tools=true"));
        URI base = URI.create(api.url);
        for (long latency : new long[] {50, 0}) {
            waitQuiet();
            api.latency(latency);
            api.control("reset");
            int total = paths.size();
            AtomicInteger next = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(connections);
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            long apiCpu0 = api.cpuTicks();
            long started = System.nanoTime();
            for (int t = 0; t < connections; t++) {
                daemon(() -> {
                    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
                        socket.setTcpNoDelay(true);
                        OutputStream out = socket.getOutputStream();
                        InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
                        for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                            out.write(("GET " + paths.get(i) + " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nCookie: sessionKey="
                                    + SESSION_KEY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            long length = -1;
                            String status = rawLine(in);
                            if (status == null || !status.startsWith("HTTP/1.1 200")) {
                                throw new IOException("answer " + status);
                            }
                            for (String header = rawLine(in); header != null && !header.isEmpty(); header = rawLine(in)) {
                                if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                                    length = Long.parseLong(header.substring(15).trim());
                                }
                            }
                            in.skipNBytes(length);
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await();
            double seconds = (System.nanoTime() - started) / 1e9;
            double apiCpu = (api.cpuTicks() - apiCpu0) / 100.0;
            JsonNode after = api.control("stats");
            double rate = total / seconds;
            String line;
            if (latency > 0) {
                double limit = connections * 1000.0 / latency;
                line = String.format(Locale.ROOT, "API alone, %d concurrent clients, L=%d ms: %d chats in %.2f s = %.1f req/s, "
                                + "%.1f%% of c/L = %.0f req/s; the API's own time per chat request (after the latency) %.3f ms mean,"
                                + " %.1f ms max; API CPU %.2f s%s",
                        connections, latency, total, seconds, rate, 100 * rate / limit, limit,
                        after.path("by_kind").path("chat").path("service_ms_mean").asDouble(),
                        after.path("by_kind").path("chat").path("service_ms_max").asDouble(), apiCpu,
                        errors.isEmpty() ? "" : "; ERRORS: " + errors.peek());
            } else {
                line = String.format(Locale.ROOT, "API alone, %d concurrent clients, L=0: %d chats in %.2f s = %.0f req/s "
                                + "(its capacity on this machine, load generator included); API CPU %.2f s%s",
                        connections, total, seconds, rate, apiCpu, errors.isEmpty() ? "" : "; ERRORS: " + errors.peek());
            }
            apiChecks.add(line);
            log(line);
        }
        api.latency(50);
        api.control("reset");
    }

    static String rawLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return null;
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    static HttpRequest request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Cookie", "sessionKey=" + SESSION_KEY).GET().build();
    }

    // --- one run of the jar ------------------------------------------------------------------------------

    static Run runJar(Api api, String caseId, int number, List<String> jvmOptions, int connections, double delay, Path dir)
            throws Exception {
        return run(Tool.AFTER, api, caseId, number, jvmOptions, connections, delay, dir);
    }

    /** The launcher's environment: this jar, the archive in the work folder, the JVM options by JAVA_OPTS. */
    static void launcherEnvironment(Map<String, String> env, List<String> jvmOptions) {
        env.put("CLAUDE_BACKUP_JAR", jar.toAbsolutePath().toString());
        env.put("CLAUDE_BACKUP_CDS", work.resolve("claude-backup.jsa").toAbsolutePath().toString());
        env.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> options = new ArrayList<>(extraJvmOptions);
        options.addAll(jvmOptions);
        env.put("JAVA_OPTS", String.join(" ", options));
    }

    static Run run(Tool tool, Api api, String caseId, int number, List<String> jvmOptions, int connections, double delay, Path dir)
            throws Exception {
        double busy = waitQuiet();
        api.control("reset");
        Path timeFile = work.resolve("time-" + caseId + "-" + number + ".txt");
        Path out = work.resolve("stdout-" + caseId + "-" + number + ".txt");
        Path err = work.resolve("stderr-" + caseId + "-" + number + ".txt");
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-v", "-o", timeFile.toString()));
        boolean viaLauncher = tool.isOurs() && launcher != null;
        if (tool == Tool.PYTHON) {
            command.add(peer.toString());
        } else if (viaLauncher) {
            command.add(launcher.toAbsolutePath().toString());
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(extraJvmOptions);
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", (tool == Tool.BEFORE ? beforeJar : jar).toAbsolutePath().toString()));
        }
        command.addAll(List.of("--base-url", api.url, "-c", Integer.toString(connections), "-s", Double.toString(delay), dir.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("CLAUDE_") || name.startsWith("BACKUP_") || name.startsWith("CAMEL_")
                || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS") || name.equals("JAVA_OPTS"));
        if (viaLauncher) {
            launcherEnvironment(env, jvmOptions);
        }
        env.putAll(tool.environment);
        env.put("CLAUDE_SESSION_KEY", SESSION_KEY);
        env.put("LANG", "C.UTF-8");
        env.put("LC_ALL", "C.UTF-8");
        long apiCpu0 = api.cpuTicks();
        long started = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("claude-backup did not finish in 30 minutes");
        }
        double wall = (System.nanoTime() - started) / 1e9;
        Run run = new Run(caseId, number, dir, err);
        run.tool = tool;
        run.busyBefore = busy;
        run.exit = process.exitValue();
        run.processWall = wall;
        run.apiCpuSeconds = (api.cpuTicks() - apiCpu0) / 100.0;
        run.stats = api.control("stats");
        Map<String, String> time = new LinkedHashMap<>();
        for (String line : Files.readAllLines(timeFile)) {
            int colon = line.lastIndexOf(": ");
            if (colon > 0) {
                time.put(line.substring(0, colon).trim(), line.substring(colon + 2).trim());
            }
        }
        run.cpuUser = Double.parseDouble(time.getOrDefault("User time (seconds)", "0"));
        run.cpuSystem = Double.parseDouble(time.getOrDefault("System time (seconds)", "0"));
        run.maxRssKb = Long.parseLong(time.getOrDefault("Maximum resident set size (kbytes)", "0"));
        Path report = dir.resolve(".claude-backup/last-run.json");
        run.runSeconds = Files.isRegularFile(report) ? JSON.readTree(report.toFile()).path("duration_seconds").asDouble(Double.NaN) : Double.NaN;
        log(run.toString());
        if (run.exit != 0) {
            log("stderr: " + tail(err, 20));
        }
        return run;
    }

    // --- the API process -----------------------------------------------------------------------------------

    static final class Api implements AutoCloseable {
        final Process process;
        final String url;
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        private Api(Process process, String url) {
            this.process = process;
            this.url = url;
        }

        static Api start(int chats, int organizations, long latency, int bigChatMegabytes, String heap) throws IOException {
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                    "-cp", jar.toAbsolutePath().toString(), "bench/BenchmarkApi.java", "--chats", Integer.toString(chats),
                    "--organizations", Integer.toString(organizations), "--latency-ms", Long.toString(latency),
                    "--big-chat-mb", Integer.toString(bigChatMegabytes));
            Path err = work.resolve("api-" + System.nanoTime() + ".log");
            Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
            BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null && !line.startsWith("READY ")) {
                // wait
            }
            if (line == null) {
                throw new IllegalStateException("BenchmarkApi did not start: " + Files.readString(err));
            }
            log(Files.readString(err).strip() + " — at " + line.substring(6));
            return new Api(process, line.substring(6).trim());
        }

        JsonNode control(String command) throws IOException, InterruptedException {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(url + "/_bench/" + command))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
            return JSON.readTree(response.body());
        }

        void latency(long millis) throws IOException, InterruptedException {
            control("latency?ms=" + millis);
        }

        /** utime + stime of the API process, in clock ticks (1/100 s). */
        long cpuTicks() throws IOException {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
            }
        }
    }

    // --- results ----------------------------------------------------------------------------------------------

    static final class Run {
        final String caseId;
        final int number;
        final Path dir;
        final Path stderr;
        Tool tool = Tool.AFTER;
        int exit;
        double processWall;
        double runSeconds;
        double cpuUser;
        double cpuSystem;
        long maxRssKb;
        double apiCpuSeconds;
        double busyBefore;
        JsonNode stats;
        String note = "";
        boolean ok = true;
        final List<String> problems = new ArrayList<>();

        Run(String caseId, int number, Path dir, Path stderr) {
            this.caseId = caseId;
            this.number = number;
            this.dir = dir;
            this.stderr = stderr;
        }

        void check(boolean condition, String problem) {
            if (!condition) {
                ok = false;
                problems.add(problem);
            }
        }

        long kind(String kind) {
            return stats.path("by_kind").path(kind).path("requests").asLong();
        }

        long requests() {
            return stats.path("requests").asLong();
        }

        long chatRequests() {
            return kind("chat");
        }

        double cpuSeconds() {
            return cpuUser + cpuSystem;
        }

        String requestsText() {
            return kind("account") + "+" + kind("list") + "+" + kind("chat") + (kind("other") > 0 ? "+" + kind("other") + "?" : "");
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "case %s run %d%s: exit %d, process %.2f s, run %.3f s, server span %.2f s (chats %.2f s), "
                            + "requests %s = %d, max in flight %d, peak RSS %.0f MB, CPU %.2f s (user %.2f + sys %.2f), API CPU %.2f s,"
                            + " API time per chat %.2f ms, client's time between answer and next request %.2f ms mean, busy before %.0f%%%s%s",
                    caseId, number, tool == Tool.AFTER ? "" : " (" + tool.title + ")", exit, processWall, runSeconds, stats.path("span_seconds").asDouble(),
                    stats.path("chat_span_seconds").asDouble(), requestsText(), requests(), stats.path("max_in_flight").asInt(),
                    maxRssKb / 1024.0, cpuSeconds(), cpuUser, cpuSystem, apiCpuSeconds,
                    stats.path("by_kind").path("chat").path("service_ms_mean").asDouble(),
                    stats.path("client_gap_ms_mean").asDouble(), busyBefore,
                    note.isEmpty() ? "" : "; " + note, ok ? "" : "; FAILED: " + String.join("; ", problems));
        }
    }

    /** One tool's runs of a lean case, with medians of CPU, peak memory and wall. */
    static final class LeanRow {
        final String id;
        final String title;
        final Tool tool;
        final List<Run> runs;
        String target = "";
        Boolean met;

        LeanRow(String id, String title, Tool tool, List<Run> runs) {
            this.id = id;
            this.title = title;
            this.tool = tool;
            this.runs = runs;
        }

        double median(ToDoubleFunction<Run> metric) {
            double[] values = runs.stream().mapToDouble(metric).sorted().toArray();
            int n = values.length;
            return n == 0 ? Double.NaN : n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        }

        boolean ok() {
            return runs.stream().allMatch(r -> r.ok);
        }
    }

    static final class Row {
        final String id;
        final String title;
        final int chats;
        final int connections;
        final int latency;
        final double delay;
        final List<Run> runs;
        final double bound;
        String target = "";
        boolean met;

        Row(String id, String title, int chats, int connections, int latency, double delay, List<Run> runs, double bound) {
            this.id = id;
            this.title = title;
            this.chats = chats;
            this.connections = connections;
            this.latency = latency;
            this.delay = delay;
            this.runs = runs;
            this.bound = bound;
        }

        double median(ToDoubleFunction<Run> metric) {
            double[] values = runs.stream().mapToDouble(metric).sorted().toArray();
            int n = values.length;
            return n == 0 ? Double.NaN : n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        }

        String requests() {
            return (long) median(r -> r.kind("account")) + "+" + (long) median(r -> r.kind("list")) + "+" + (long) median(r -> r.kind("chat"));
        }
    }

    static String report() throws IOException, InterruptedException {
        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz", Locale.ROOT)))
                .append(" on ").append(machine()).append(", claude-backup ").append(git("describe", "--always", "--dirty"))
                .append(quick ? " — **quick mode: reduced sizes, not the issue's cases**" : "")
                .append(extraJvmOptions.isEmpty() ? "" : ", client JVM options " + extraJvmOptions)
                .append(jar.equals(Path.of("target/claude-backup.jar")) ? "" : ", jar " + jar)
                .append(". Each value is the median of ").append(runs).append(runs == 1 ? " run" : " runs")
                .append(" (each column separately).\n\n");
        if (!leanRows.isEmpty()) {
            md.append("Side by side (issue 15): CPU and peak memory of each tool's process, from `/usr/bin/time -v`; ")
                    .append("*claude-backup* runs as users run it, through `bin/claude-backup`")
                    .append(launcher == null ? " (**here not: --launcher none**)" : "")
                    .append(beforeJar == null ? "" : "; *before* is `java -jar` of " + beforeJar.getFileName() + ", as it was run before the launcher")
                    .append(".\n\n");
            md.append("| # | case | tool | CPU s (user + sys) | user s | sys s | peak RSS MB | process wall s | requests account+lists+chats | target | met |\n");
            md.append("|---|------|------|------:|------:|------:|------:|------:|------|------|:--:|\n");
            for (LeanRow row : leanRows) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %.2f | %.0f | %.2f | %s | %s | %s |\n",
                        row.id, row.title, row.tool.title, row.median(Run::cpuSeconds), row.median(r -> r.cpuUser),
                        row.median(r -> r.cpuSystem), row.median(r -> r.maxRssKb) / 1024.0, row.median(r -> r.processWall),
                        (long) row.median(r -> r.kind("account")) + "+" + (long) row.median(r -> r.kind("list")) + "+"
                                + (long) row.median(r -> r.kind("chat")),
                        row.target.isEmpty() ? "—" : row.target,
                        row.met == null ? (row.ok() ? "" : "**failed**") : row.met ? "yes" : "**no**"));
            }
            md.append("\nThe politeness cases (every value the median of the runs, each column separately):\n\n");
        }
        md.append("| # | case | chats | c | L ms | D s | process wall s | run s | bound s | bound/run | bound/wall | requests account+lists+chats | peak RSS MB | CPU s | target | met |\n");
        md.append("|---|------|------:|--:|-----:|----:|------:|------:|------:|------:|------:|------|------:|------:|------|:--:|\n");
        rows.sort(Comparator.comparing(row -> row.id));
        for (Row row : rows) {
            double wall = row.median(r -> r.processWall);
            double run = row.median(r -> r.runSeconds);
            md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %d | %d | %s | %.2f | %.2f | %s | %s | %s | %s | %.0f | %.2f | %s | %s |\n",
                    row.id, row.title, row.chats, row.connections, row.latency, trim(row.delay), wall, run,
                    row.bound > 0 ? String.format(Locale.ROOT, "%.2f", row.bound) : "—",
                    row.bound > 0 ? String.format(Locale.ROOT, "%.3f", row.bound / run) : "—",
                    row.bound > 0 ? String.format(Locale.ROOT, "%.3f", row.bound / wall) : "—",
                    row.requests(), row.median(r -> r.maxRssKb) / 1024.0, row.median(Run::cpuSeconds), row.target,
                    row.met ? "yes" : "**no**"));
        }
        md.append("\n*process wall*: the tool's process from start to exit (JVM start, Camel start, the run, shutdown; the launcher execs java). ")
                .append("*run*: the tool's own duration of the run (`duration_seconds` in `.claude-backup/last-run.json`, ")
                .append("the summary line's time), from the run's start to its report; the ratio bound/run uses it. ")
                .append("*bound*: N × max(D, L/c) for the N chats fetched. *requests*: counted by the API. ")
                .append("*peak RSS*: `/usr/bin/time -v` maximum resident set size. *CPU s*: the client's user + system seconds.\n\n");
        md.append("The API, checked alone:\n\n");
        apiChecks.forEach(line -> md.append("- ").append(line).append('\n'));
        md.append("\nEvery run:\n\n");
        for (LeanRow row : leanRows) {
            for (Run run : row.runs) {
                md.append("- ").append(run).append('\n');
            }
        }
        for (Row row : rows) {
            for (Run run : row.runs) {
                if (row.id.equals("6")) {
                    continue;
                }
                md.append("- ").append(run).append('\n');
            }
        }
        details.forEach(line -> md.append("- ").append(line).append('\n'));
        return md.toString();
    }

    static void writeResults(String report) throws IOException {
        String text = Files.isRegularFile(results) ? Files.readString(results) : "# Benchmark results\n\n" + BEGIN + "\n" + END + "\n";
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            text = text + "\n" + BEGIN + "\n" + END + "\n";
            begin = text.indexOf(BEGIN);
            end = text.indexOf(END);
        }
        text = text.substring(0, begin + BEGIN.length()) + "\n" + report + "\n" + text.substring(end);
        Files.writeString(results, text);
    }

    // --- the machine ----------------------------------------------------------------------------------------

    /** Waits until the machine is quiet: CPU busy at most maxBusy percent over two seconds. */
    static double waitQuiet() throws Exception {
        long deadline = System.nanoTime() + quietWait * 1_000_000_000L;
        while (true) {
            double busy = busyPercent(2000);
            if (busy <= maxBusy) {
                return busy;
            }
            if (System.nanoTime() > deadline) {
                String note = String.format(Locale.ROOT, "measured although the machine was busy (%.0f%% CPU)", busy);
                if (!notes.contains(note)) {
                    notes.add(note);
                }
                log("warning: " + note);
                return busy;
            }
            log(String.format(Locale.ROOT, "machine busy (%.0f%% CPU, load %s), waiting", busy, Files.readString(Path.of("/proc/loadavg")).strip()));
            Thread.sleep(10_000);
        }
    }

    static double busyPercent(long millis) throws Exception {
        long[] a = cpuTimes();
        Thread.sleep(millis);
        long[] b = cpuTimes();
        long total = 0;
        long idle = 0;
        for (int i = 0; i < a.length; i++) {
            total += b[i] - a[i];
        }
        idle = (b[3] - a[3]) + (b[4] - a[4]);
        return total == 0 ? 0 : 100.0 * (total - idle) / total;
    }

    static long[] cpuTimes() throws IOException {
        String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
        return Arrays.stream(first.trim().split("\\s+")).skip(1).limit(8).mapToLong(Long::parseLong).toArray();
    }

    static String machine() throws IOException, InterruptedException {
        String model = "";
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                model = line.substring(line.indexOf(':') + 1).trim();
                break;
            }
        }
        long memKb = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return String.format(Locale.ROOT, "%d cores (%s), %.0f GiB, %s, Java %s", Runtime.getRuntime().availableProcessors(), model,
                memKb / 1024.0 / 1024.0, System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.runtime.version"));
    }

    // --- small things -------------------------------------------------------------------------------------------

    /**
     * The backups made, deleted once every case has run, and the next benchmark waits for {@link #INODES_AGE}
     * after that. On an ext4 volume without a journal (this machine's), the inode allocator passes over every
     * inode deleted in the last minute (six while its inode table is not yet written back) one by one at every
     * file made: after backups of thousands of files were deleted, the next runs' system time doubled
     * (recently_deleted in the kernel's profile), the Python tool's included, and the readable copy's most.
     */
    static final List<Path> backupsMade = new ArrayList<>();

    static void deleteAtTheEnd(Path dir) {
        backupsMade.add(dir);
    }

    /** Where the end of a benchmark says when it deleted its backups. */
    static final String DELETED_AT = "backups-deleted-at";
    /** How long ext4 passes over a deleted inode at most (a minute, plus five while its inode table is dirty). */
    static final Duration INODES_AGE = Duration.ofMinutes(6);

    /** Whether the last benchmark left its backups (it stopped before its end): thousands of files to delete. */
    static boolean leftFull() throws IOException {
        if (!Files.isDirectory(work)) {
            return false;
        }
        try (Stream<Path> left = Files.walk(work)) {
            return left.limit(1000).count() >= 1000;
        }
    }

    /** When the last benchmark deleted its backups, as its end wrote; null if it did not say. */
    static Instant lastDeletion() throws IOException {
        Path marker = work.resolve(DELETED_AT);
        if (!Files.isRegularFile(marker)) {
            return null;
        }
        try {
            return Instant.parse(Files.readString(marker).strip());
        } catch (DateTimeParseException e) {
            return Instant.now(); // not a time: wait the whole while
        }
    }

    /** Waits until the inodes of the backups deleted then no longer slow the making of files (see backupsMade). */
    static void letDeletedInodesAge(Instant deleted) throws InterruptedException {
        if (deleted == null) {
            return;
        }
        Duration left = Duration.between(Instant.now(), deleted.plus(INODES_AGE));
        if (!left.isNegative()) {
            log("Waiting " + left.toSeconds() + " s: backups were deleted at " + deleted + " (see backupsMade)");
            Thread.sleep(left.toMillis());
        }
    }

    static Path freshDir(String name) throws IOException {
        Path dir = work.resolve(name);
        deleteTree(dir);
        return dir;
    }

    static long countChatFiles(Path dir) throws IOException {
        Path organizations = dir.resolve("organizations");
        if (!Files.isDirectory(organizations)) {
            return 0;
        }
        try (Stream<Path> files = Files.find(organizations, 3, (path, attributes) -> attributes.isRegularFile()
                && path.getParent().getFileName().toString().equals("chat_conversations") && path.toString().endsWith(".json"))) {
            return files.count();
        }
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    static String git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return process.waitFor() == 0 ? out : "(unknown)";
    }

    static String tail(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    static void log(String message) {
        System.err.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + message);
    }

    static void daemon(Runnable body) {
        Thread thread = new Thread(body, "api-load");
        thread.setDaemon(true);
        thread.start();
    }
}
