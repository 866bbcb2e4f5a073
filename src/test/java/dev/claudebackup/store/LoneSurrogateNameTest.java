package dev.claudebackup.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.sync.LoopbackBackup;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;

/**
 * Issue 16, point 4: a chat named with an unpaired surrogate ({@code \ud800}, which JSON can carry)
 * failed every run with InvalidPathException, so it was never backed up. It becomes {@code _}.
 */
class LoneSurrogateNameTest {

    private static final String UUID = "6f1c9a4e-2b7d-4c1e-9a3f-0d5e8b7c6a21";

    @TempDir
    Path work;

    @Test
    void anUnpairedSurrogateBecomesAnUnderscore() {
        assertEquals("bad_name_x-" + UUID + ".json", ChatFileNamer.jsonFileName("bad\ud800name\udc00x", UUID));
        assertEquals("pair_\ud83c\udf89-" + UUID, ChatFileNamer.slug("pair \ud83c\udf89", UUID), "a real pair stays");
    }

    @Test
    void aChatNamedWithALoneSurrogateIsBackedUpAndNotFetchedAgain() throws Exception {
        try (LoopbackBackup backup = LoopbackBackup.start(work, 100, 1, 0)) {
            String uuid = "0b0c7a52-3f0e-4f7e-8d64-1c2b3a4d5e6f";
            // the JSON escape, as a server would send it: Jackson reads it as the lone char U+D800
            byte[] json = ("{\"uuid\":\"" + uuid + "\",\"name\":\"half \\ud800 a pair\",\"updated_at\":\"2030-01-01T00:00:00Z\","
                    + "\"chat_messages\":[]}").getBytes(StandardCharsets.US_ASCII);
            SampleAccount.Chat chat = backup.account.putRawChat(backup.main, uuid, "half \ud800 a pair", json);

            BackupRunner.Result first = backup.run();

            assertEquals(ExitStatus.OK, first.status(), first.toString());
            Path file = backup.folder(backup.main).resolve("chat_conversations/half___a_pair-" + uuid + ".json");
            assertTrue(Files.isRegularFile(file), BackupTree.chatFiles(backup.dir).keySet().toString());
            assertArrayEquals(chat.json(), Files.readAllBytes(file));

            BackupRunner.Result second = backup.run();
            assertEquals(ExitStatus.OK, second.status(), second.toString());
            assertEquals(List.of(), second.stdoutLines(), "saved once, then unchanged");
        }
    }
}
