import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The search benchmark (issue 14): a backup of N generated chats written straight to disk (the layout a
 * backup run writes), then: the index's build time and size against the JSON's, `search WORD` as a whole
 * process against `grep -rliw WORD organizations/` (both warm), and /api/search's latency inside serve.
 *
 *   java -cp target/claude-backup.jar bench/SearchBenchmark.java [--chats 20000] [--dir /tmp/search-bench] [--runs 5]
 */
public final class SearchBenchmark {

    static final ObjectMapper MAPPER = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int chats = 20000;
        Path dir = Path.of("/tmp/search-bench");
        int runs = 5;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--chats" -> chats = Integer.parseInt(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        Path jar = Path.of("target/claude-backup.jar").toAbsolutePath();
        System.out.println("load average at the start: " + loadAverage());
        if (!Files.isDirectory(dir.resolve("organizations"))) {
            long started = System.nanoTime();
            generate(dir, chats);
            System.out.printf("generated %d chats in %.1f s%n", chats, (System.nanoTime() - started) / 1e9);
        }
        long json = size(dir.resolve("organizations"));
        Timed reindex = run(dir, List.of("java", "-jar", jar.toString(), "search", "--dir", dir.toString(), "--reindex"));
        long index = size(dir.resolve(".claude-backup"));
        System.out.printf("JSON %.1f MB, index %.1f MB (%.0f%%); reindex %.1f s wall, %.1f s CPU%n", json / 1e6, index / 1e6,
                100.0 * index / json, reindex.wall, reindex.cpu);
        for (String word : List.of("falafel", "harbor", "zenith")) {
            run(dir, List.of("java", "-jar", jar.toString(), "search", "--dir", dir.toString(), word)); // warm
            run(dir, List.of("grep", "-rliw", word, "organizations/"));
            double[] search = new double[runs];
            double[] grep = new double[runs];
            int hits = 0;
            for (int r = 0; r < runs; r++) {
                Timed s = run(dir, List.of("java", "-jar", jar.toString(), "search", "--dir", dir.toString(), "--limit", "20", word));
                search[r] = s.wall;
                hits = s.lines;
                grep[r] = run(dir, List.of("grep", "-rliw", word, "organizations/")).wall;
            }
            Timed g = run(dir, List.of("grep", "-rliw", word, "organizations/"));
            System.out.printf("%-8s files with it %6d | search (20 best) median %.3f s | grep -rliw median %.3f s%n",
                    word, g.lines, median(search), median(grep));
        }
        serve(dir, jar, runs * 20);
        System.out.println("load average at the end: " + loadAverage());
    }

    /** The machine's load (1, 5 and 15 minutes) where Linux says it: the times below depend on it. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void serve(Path dir, Path jar, int requests) throws Exception {
        int port = 18000 + new Random().nextInt(1000);
        Process serve = new ProcessBuilder("java", "-jar", jar.toString(), "serve", "--dir", dir.toString(), "--port",
                Integer.toString(port)).redirectErrorStream(true).redirectOutput(dir.resolve("serve.log").toFile()).start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            for (int i = 0; i < 200; i++) {
                try {
                    client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/search?q=x")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    break;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            for (String word : List.of("falafel", "harbor", "zenith")) {
                double[] times = new double[requests];
                for (int i = 0; i < requests + 10; i++) {
                    long started = System.nanoTime();
                    HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/search?limit=20&q=" + word)).build(), HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() != 200) {
                        throw new IllegalStateException(answer.body());
                    }
                    if (i >= 10) {
                        times[i - 10] = (System.nanoTime() - started) / 1e6;
                    }
                }
                Arrays.sort(times);
                System.out.printf("/api/search?q=%-8s median %.1f ms, p95 %.1f ms (%d requests after 10 warm-up)%n", word,
                        times[times.length / 2], times[(int) (times.length * 0.95)], requests);
            }
        } finally {
            serve.destroy();
            serve.waitFor(30, TimeUnit.SECONDS);
        }
    }

    record Timed(double wall, double cpu, int lines) {
    }

    /**
     * Wall time, and CPU time of the child: from GNU time where it is installed (ProcessHandle's
     * totalCpuDuration, the fallback, is empty, -1, when the child has exited before it is read).
     */
    static Timed run(Path dir, List<String> command) throws Exception {
        Path times = null;
        if (Files.isExecutable(Path.of("/usr/bin/time"))) {
            times = Files.createTempFile("search-bench", ".time");
            List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "%U %S", "-o", times.toString()));
            timed.addAll(command);
            command = timed;
        }
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
        ProcessHandle handle = process.toHandle();
        int lines = 0;
        try (InputStream in = process.getInputStream()) {
            for (byte b : in.readAllBytes()) {
                lines += b == '\n' ? 1 : 0;
            }
        }
        double cpu = handle.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
        process.waitFor();
        if (times != null) {
            String[] userAndSystem = Files.readString(times).strip().split("\\s+");
            cpu = Double.parseDouble(userAndSystem[userAndSystem.length - 2]) + Double.parseDouble(userAndSystem[userAndSystem.length - 1]);
            Files.delete(times);
        }
        return new Timed((System.nanoTime() - started) / 1e9, cpu, lines);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static long size(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    // --- the backup ---

    /** Words: a Zipf-like vocabulary of made-up words, plus a few real ones at known rates. */
    static void generate(Path dir, int chats) throws IOException {
        Random random = new Random(14);
        String[] syllables = {"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "de", "ga", "ho", "ji", "pe", "qu", "ze", "bo"};
        String[] vocabulary = new String[4000];
        for (int i = 0; i < vocabulary.length; i++) {
            StringBuilder word = new StringBuilder();
            for (int s = 0; s < 2 + i % 3; s++) {
                word.append(syllables[random.nextInt(syllables.length)]);
            }
            vocabulary[i] = word.toString();
        }
        String org = UUID.randomUUID().toString();
        Path folder = dir.resolve("organizations").resolve("Bench-" + org).resolve("chat_conversations");
        Files.createDirectories(folder);
        Files.writeString(dir.resolve("account.json"), "{\"uuid\":\"" + UUID.randomUUID() + "\",\"memberships\":[{\"organization\":"
                + "{\"uuid\":\"" + org + "\",\"name\":\"Bench\",\"capabilities\":[\"chat\"]}}]}");
        for (int c = 0; c < chats; c++) {
            String uuid = new UUID(random.nextLong(), random.nextLong()).toString().replaceFirst("^(.{14}).", "$14")
                    .replaceFirst("^(.{19}).", "$18");
            String name = "Chat about " + vocabulary[random.nextInt(200)] + " " + c;
            Path file = folder.resolve(name.replace(' ', '_') + "-" + uuid + ".json");
            try (JsonGenerator json = MAPPER.getFactory().createGenerator(Files.newOutputStream(file))) {
                json.writeStartObject();
                json.writeStringField("uuid", uuid);
                json.writeStringField("name", name);
                json.writeStringField("summary", "");
                json.writeStringField("model", "claude-sonnet-4-5-20250929");
                json.writeStringField("created_at", "2025-01-01T00:00:00.000000Z");
                json.writeStringField("updated_at", String.format("2025-%02d-%02dT10:00:00.000000Z", 1 + c % 12, 1 + c % 28));
                json.writeObjectFieldStart("settings");
                json.writeBooleanField("enabled_web_search", true);
                json.writeEndObject();
                json.writeBooleanField("is_starred", false);
                json.writeNullField("project_uuid");
                String parent = "00000000-0000-4000-8000-000000000000";
                json.writeArrayFieldStart("chat_messages");
                int turns = 2 + random.nextInt(5);
                for (int m = 0; m < turns * 2; m++) {
                    String message = UUID.randomUUID().toString();
                    json.writeStartObject();
                    json.writeStringField("uuid", message);
                    json.writeNumberField("index", m);
                    json.writeStringField("sender", m % 2 == 0 ? "human" : "assistant");
                    json.writeStringField("parent_message_uuid", parent);
                    json.writeStringField("text", "");
                    json.writeArrayFieldStart("content");
                    json.writeStartObject();
                    json.writeStringField("type", "text");
                    StringBuilder text = new StringBuilder();
                    int words = m % 2 == 0 ? 15 + random.nextInt(40) : 80 + random.nextInt(250);
                    for (int w = 0; w < words; w++) {
                        double u = random.nextDouble();
                        text.append(vocabulary[(int) Math.min(vocabulary.length - 1, Math.pow(vocabulary.length, u) - 1)]);
                        text.append(w % 12 == 11 ? ". " : " ");
                    }
                    if (random.nextInt(1000) < 3) {
                        text.append("A falafel wrap. ");
                    }
                    if (random.nextInt(100) < 10) {
                        text.append("The harbor at dawn. ");
                    }
                    if (random.nextInt(100) < 60) {
                        text.append("At the zenith. ");
                    }
                    json.writeStringField("text", text.toString());
                    json.writeStringField("start_timestamp", "2025-01-01T00:00:00.000000Z");
                    json.writeStringField("stop_timestamp", "2025-01-01T00:00:01.000000Z");
                    json.writeArrayFieldStart("citations");
                    json.writeEndArray();
                    json.writeEndObject();
                    json.writeEndArray();
                    json.writeStringField("created_at", "2025-01-01T00:00:00.000000Z");
                    json.writeStringField("updated_at", "2025-01-01T00:00:00.000000Z");
                    json.writeBooleanField("truncated", false);
                    for (String empty : List.of("attachments", "files", "files_v2", "sync_sources")) {
                        json.writeArrayFieldStart(empty);
                        json.writeEndArray();
                    }
                    json.writeEndObject();
                    parent = message;
                }
                json.writeEndArray();
                json.writeStringField("current_leaf_message_uuid", parent);
                json.writeEndObject();
            }
        }
    }
}
