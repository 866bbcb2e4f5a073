package dev.claudebackup.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.store.StateDatabase;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;
import dev.claudebackup.testing.JarProcess;

/**
 * The packaged jar, killed with SIGKILL part way through a first backup (after n chats were printed as
 * saved), then run again: every chat printed was recorded, the second run fetches exactly the chats the
 * first had not recorded (some of them saved but not yet recorded: records are committed in groups), and the
 * folder ends byte-equal to a backup made in one go. The API runs in the test's JVM, slowed down so the
 * kill lands mid-run.
 */
class KillAndResumeIT {

    private static final int CHATS = 26;

    @TempDir
    static Path work;
    static LoopbackBackup api;
    static Path config;
    static Map<String, byte[]> madeInOneGo;
    static Map<String, byte[]> chatJson = new HashMap<>();

    @BeforeAll
    static void backUpInOneGo() throws Exception {
        api = LoopbackBackup.start(work, 5, 18, 8);
        config = work.resolve("small-pages.properties");
        Files.writeString(config, "claude.api.page-size=5\n");
        for (SampleAccount.Organization organization : api.account.organizations()) {
            api.account.chatList(organization.uuid()).forEach(chat -> chatJson.put(chat.uuid(), chat.json()));
        }
        Path reference = work.resolve("in-one-go");
        JarProcess oneGo = start(reference);
        assertEquals(0, oneGo.waitFor(120), oneGo.stderr());
        madeInOneGo = BackupTree.files(reference);
        assertEquals(CHATS, BackupTree.chatFiles(reference).size());
    }

    @AfterAll
    static void stopApi() {
        api.close();
    }

    /**
     * With a UTF-8 locale: without one, the jar runs itself again in a child JVM with one (file names
     * must be Unicode), and the process a SIGKILL reaches would be the parent, not the backup.
     */
    private static JarProcess start(Path dir) throws IOException {
        Map<String, String> environment = new HashMap<>(BackupRunner.environment());
        environment.put("LC_ALL", "C.UTF-8");
        return JarProcess.start(environment, work, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                "--base-url", api.api.baseUrl(), "--config", config.toString(), "--connections", "2", "--success-delay", "0",
                "--min-retry-delay", "0.01", "--max-retry-delay", "0.05", dir.toString());
    }

    @ParameterizedTest(name = "killed after {0} chats saved")
    // chats are printed as their group of records is committed, at the latest when the organization ends:
    // the last kill point is within the first organization (18 chats), so that some chats are still unsaved
    @ValueSource(ints = {1, 5, 12, 17})
    void aKilledRunIsResumedWithoutFetchingAnySavedChatAgain(int killAfter) throws Exception {
        Path dir = work.resolve("killed-after-" + killAfter);
        api.api.latency(40);
        JarProcess killed = start(dir);
        List<String> printed = waitForLines(killed, killAfter);
        killed.process().destroyForcibly(); // SIGKILL: no shutdown hook, no finally
        assertNotEquals(0, killed.waitFor(30));
        api.api.latency(0);

        // What the kill left: whole files only, and a record for every chat printed as saved.
        Map<String, String> recorded = StateDatabase.chats(dir);
        assertTrue(recorded.keySet().containsAll(uuidsOf(printed)), "printed but not recorded: " + printed);
        assertTrue(recorded.size() < CHATS, "the kill landed after the run: move the kill points or slow the API");
        for (Map.Entry<String, byte[]> file : BackupTree.chatFiles(dir).entrySet()) {
            if (!Path.of(file.getKey()).getFileName().toString().startsWith(".part-")) {
                String uuid = ChatFileNamer.uuidOf(Path.of(file.getKey()).getFileName().toString()).orElseThrow();
                assertArrayEquals(chatJson.get(uuid), file.getValue(), "a whole file or none: " + file.getKey());
            }
        }
        for (String row : recorded.values()) {
            assertTrue(Files.isRegularFile(dir.resolve(row.substring(row.indexOf(' ') + 1))), "recorded without its file: " + row);
        }

        api.api.clearRequests();
        JarProcess resumed = start(dir);
        assertEquals(0, resumed.waitFor(120), resumed.stderr());

        List<String> fetched = ApiCalls.of(api.api).chats();
        assertEquals(fetched.size(), new HashSet<>(fetched).size(), "a chat fetched twice: " + fetched);
        Set<String> notYetSaved = new HashSet<>(chatJson.keySet());
        notYetSaved.removeAll(recorded.keySet());
        assertEquals(notYetSaved, new HashSet<>(fetched), "exactly the chats the killed run had not saved");
        System.out.printf("killed after %d lines: %d recorded; the resumed run fetched %d%n", printed.size(), recorded.size(), fetched.size());
        assertSameFiles(madeInOneGo, BackupTree.files(dir));
    }

    /** The first n complete lines of stdout, waiting for them; fails if the run ends first. */
    private static List<String> waitForLines(JarProcess process, int n) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            String out = process.stdout();
            List<String> lines = new ArrayList<>(List.of(out.substring(0, out.lastIndexOf('\n') + 1).split("\n")));
            lines.removeIf(String::isEmpty);
            if (lines.size() >= n) {
                return lines;
            }
            assertTrue(process.process().isAlive(), "the run ended before " + n + " chats were saved:\n" + process.stderr());
            Thread.sleep(2);
        }
        throw new AssertionError("no " + n + " chats saved in time:\n" + process.stderr());
    }

    private static Set<String> uuidsOf(List<String> lines) {
        Set<String> uuids = new HashSet<>();
        lines.forEach(line -> uuids.add(line.substring(0, line.indexOf('\t'))));
        return uuids;
    }

    private static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet(), "the same files");
        expected.forEach((path, bytes) -> assertArrayEquals(bytes, actual.get(path), "the same bytes in " + path));
        assertFalse(actual.keySet().stream().anyMatch(path -> path.contains(".part-")));
    }
}
