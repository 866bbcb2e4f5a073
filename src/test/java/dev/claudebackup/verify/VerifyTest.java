package dev.claudebackup.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.store.StateDatabase;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.sync.LoopbackBackup;
import dev.claudebackup.testing.BackupRunner;

/**
 * {@code verify} on a real backup made by the real routes from the loopback API: it finds a truncated,
 * a changed and a missing chat file, and after {@code --repair} the next run fetches exactly those.
 */
class VerifyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path work;
    LoopbackBackup backup;

    @BeforeEach
    void backUp() throws Exception {
        backup = LoopbackBackup.start(work, 100, 5, 3);
        BackupRunner.Result first = backup.run();
        assertEquals(ExitStatus.OK, first.status(), first.toString());
    }

    @AfterEach
    void stopApi() {
        backup.close();
    }

    private BackupRunner.Result verify(String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("verify", "--dir", backup.dir.toString()));
        args.addAll(List.of(options));
        return BackupRunner.run(BackupRunner.environment(), args.toArray(String[]::new));
    }

    @Test
    void aWholeBackupIsWhole() {
        BackupRunner.Result result = verify();

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertEquals(List.of("Checked 8 chats in " + backup.dir.toAbsolutePath().normalize() + ": the backup is whole."),
                result.stdoutLines());
    }

    @Test
    void findsATruncatedAChangedAndAMissingFileAndRepairMakesTheNextRunFetchExactlyThem() throws Exception {
        SampleAccount.Chat truncated = backup.account.chat(backup.main, backup.chatAt(backup.main, 1));
        SampleAccount.Chat changed = backup.account.chat(backup.main, backup.chatAt(backup.main, 3));
        SampleAccount.Chat missing = backup.account.chat(backup.side, backup.chatAt(backup.side, 2));
        Path truncatedFile = backup.chatFile(backup.main, truncated.uuid());
        Files.write(truncatedFile, java.util.Arrays.copyOf(truncated.json(), truncated.json().length / 2));
        Path changedFile = backup.chatFile(backup.main, changed.uuid());
        String json = new String(changed.json(), StandardCharsets.UTF_8);
        Files.writeString(changedFile, json.replace("Answer 1 about", "An answer someone edited about"));
        assertTrue(MAPPER.readTree(changedFile.toFile()).isObject(), "still whole JSON, with its uuid and updated_at");
        Files.delete(backup.chatFile(backup.side, missing.uuid()));
        Files.setPosixFilePermissions(changedFile, PosixFilePermissions.fromString("rw-r--r--")); // two problems of one file

        BackupRunner.Result found = verify();

        assertEquals(ExitStatus.SOME_FAILED, found.status(), found.toString());
        String out = found.stdout();
        assertTrue(out.contains("chat " + truncated.name() + " (" + truncated.uuid() + "): "), out);
        assertTrue(out.contains(truncated.uuid() + "): " + relative(truncatedFile) + ": cut short or not JSON"), out);
        assertTrue(out.contains("chat " + changed.name() + " (" + changed.uuid() + "): " + relative(changedFile)
                + ": changed since it was saved (its sha-256 differs)"), out);
        assertTrue(out.contains("chat " + missing.name() + " (" + missing.uuid() + "): "), out);
        assertTrue(out.contains("the file is missing"), out);
        assertTrue(out.contains(relative(changedFile) + ": a file others may read (rw-r--r--; 0600 wanted)"), out);
        assertTrue(out.contains("Checked 8 chats in " + backup.dir.toAbsolutePath().normalize() + ": 4 problems."), out);
        assertEquals(5, found.stdoutLines().size(), out);
        assertTrue(Files.exists(truncatedFile), "verify alone changes nothing");

        BackupRunner.Result repaired = verify("--repair");

        assertEquals(ExitStatus.SOME_FAILED, repaired.status(), "the backup is whole only once the next run fetched them\n" + repaired);
        assertTrue(repaired.stdout().contains("4 problems; repaired: the next backup run fetches 3 chats again."), repaired.stdout());
        Path damaged = backup.dir.resolve(".claude-backup/damaged");
        Path truncatedAside = damaged.resolve(relative(truncatedFile));
        assertArrayEquals(java.util.Arrays.copyOf(truncated.json(), truncated.json().length / 2), Files.readAllBytes(truncatedAside),
                "set aside as it was, never deleted");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(damaged.resolve(relative(changedFile)))),
                "set aside, and private");
        assertFalse(Files.exists(truncatedFile));
        assertFalse(StateDatabase.chats(backup.dir).containsKey(truncated.uuid()), "its record is forgotten");

        BackupRunner.Result next = backup.run();

        assertEquals(ExitStatus.OK, next.status(), next.toString());
        assertEquals(Set.of(truncated.uuid(), changed.uuid(), missing.uuid()), new HashSet<>(backup.calls().chats()));
        assertEquals(3, backup.calls().chats().size(), "exactly those, once each");
        backup.assertHoldsEveryChat();
        assertEquals(ExitStatus.OK, verify().status(), "whole again");
    }

    @Test
    void findsLeftOverTemporaryFilesOpenModesAndFilesTheStateDoesNotKnow() throws Exception {
        Path folder = backup.folder(backup.main).resolve("chat_conversations");
        Path temporary = folder.resolve(".part-Main_chat_0-" + backup.chatAt(backup.main, 0) + ".json");
        Files.writeString(temporary, "{\"uuid\":");
        Path unknown = folder.resolve("Copied_in-0b7f3c1e-1b1e-4c4e-9a53-3f0a4d6e1c2b.json");
        Files.writeString(unknown, "{}");
        Files.setPosixFilePermissions(unknown, PosixFilePermissions.fromString("rw-------"));
        Path open = backup.chatFile(backup.side, backup.chatAt(backup.side, 0));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));

        BackupRunner.Result found = verify("--json");

        assertEquals(ExitStatus.SOME_FAILED, found.status(), found.toString());
        JsonNode report = MAPPER.readTree(found.stdout());
        assertFalse(report.path("whole").asBoolean());
        assertEquals(8, report.path("checked").path("chats").asInt());
        Set<String> problems = new HashSet<>();
        report.path("problems").forEach(p -> problems.add(p.path("problem").asText() + " " + p.path("path").asText()));
        assertEquals(Set.of("temporary " + relative(temporary), "unknown " + relative(unknown), "mode " + relative(open),
                "mode " + relative(folder)), problems, report.toPrettyString());

        BackupRunner.Result repaired = verify("--repair");

        assertEquals(ExitStatus.SOME_FAILED, repaired.status(), repaired.toString());
        assertFalse(Files.exists(temporary), "a temporary file is removed");
        assertEquals("{}", Files.readString(unknown), "a file the state does not know is left as it is");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(open)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        BackupRunner.Result after = verify("--json");
        JsonNode left = MAPPER.readTree(after.stdout()).path("problems");
        assertEquals(1, left.size(), left.toPrettyString());
        assertEquals("unknown", left.get(0).path("problem").asText());
    }

    @Test
    void aStateThatIsNoDatabaseIsAProblemAndRepairSetsItAsideForTheNextRunToRebuild() throws Exception {
        Path state = StateDatabase.of(backup.dir);
        Files.writeString(state, "this is not a SQLite database, it is some garbage ".repeat(200));

        BackupRunner.Result found = verify();

        assertEquals(ExitStatus.SOME_FAILED, found.status(), found.toString());
        assertTrue(found.stdout().contains(".claude-backup/state.db: damaged"), found.stdout());
        BackupRunner.Result repaired = verify("--repair");
        assertTrue(repaired.stdout().contains("the next backup run rebuilds it from the chat files"), repaired.stdout());
        try (var aside = Files.list(state.getParent())) {
            assertTrue(aside.anyMatch(p -> p.getFileName().toString().startsWith("state.db.damaged-")), "kept aside");
        }

        BackupRunner.Result next = backup.run();

        assertEquals(ExitStatus.OK, next.status(), next.toString());
        assertEquals(List.of(), backup.calls().chats(), "nothing unchanged is fetched");
        assertEquals(ExitStatus.OK, verify().status());
    }

    @Test
    void badUsageIsTwo() {
        assertEquals(ExitStatus.USAGE, verify("--no-such-option").status());
        BackupRunner.Result nowhere = BackupRunner.run(BackupRunner.environment(), "verify", "--dir", work.resolve("nothing-here").toString());
        assertEquals(ExitStatus.USAGE, nowhere.status(), nowhere.toString());
        assertTrue(nowhere.stderr().contains("There is no backup in"), nowhere.stderr());
    }

    private String relative(Path file) {
        return backup.dir.relativize(file).toString();
    }

    @Test
    void namesAndPathsArePrintedWithoutTerminalEscapes() throws Exception {
        Path planted = backup.dir.resolve("organizations").resolve("x\u001b]0;pwned\u0007\u202e.json");
        Files.writeString(planted, "{}");

        BackupRunner.Result result = verify();

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertTrue(result.stdout().contains("x?]0;pwned??.json"), result.stdout());
        assertFalse(result.stdout().chars().anyMatch(c -> c == 0x1b || c == 0x07 || c == 0x202e), result.stdout());
    }
}
