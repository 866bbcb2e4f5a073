package dev.claudebackup.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.testing.BackupRunner;

/**
 * The chat list has no cursor: the test changes the account while a run pages through it (when the
 * loopback API is asked for a given page). No chat left alone is missed, none is fetched twice, and
 * the next run catches up with what changed.
 */
class ListMovesDuringRunTest {

    @TempDir
    Path work;
    LoopbackBackup backup;

    @BeforeEach
    void startApi() throws Exception {
        backup = LoopbackBackup.start(work, 3, 12, 2);
    }

    @AfterEach
    void stopApi() {
        backup.close();
    }

    /** Before the API answers this page of Main's list (once), the change is made. */
    private void whenAskedFor(String page, Runnable change) {
        AtomicBoolean done = new AtomicBoolean();
        backup.api.intercept(request -> {
            String asked = request.query().get("offset") + "+" + request.query().get("limit");
            if (request.path().endsWith(backup.main + "/chat_conversations") && asked.equals(page) && done.compareAndSet(false, true)) {
                change.run();
            }
            return Optional.empty();
        });
    }

    @Test
    void anUpdateAndADeleteBetweenTwoPages() throws Exception {
        Set<String> before = new HashSet<>(uuids());
        String updated = backup.chatAt(backup.main, 9);
        String deleted = backup.chatAt(backup.main, 1);
        whenAskedFor("2+4", () -> {
            backup.account.updateChat(backup.main, updated); // jumps from the unread part to the front
            backup.account.deleteChat(backup.main, deleted); // already read: the rest moves up one
        });

        BackupRunner.Result first = backup.run();

        List<String> fetched = backup.calls().chats();
        assertEquals(fetched.size(), new HashSet<>(fetched).size(), "no chat fetched twice: " + fetched);
        Set<String> untouched = new HashSet<>(before);
        untouched.remove(updated);
        untouched.remove(deleted);
        for (String chat : untouched) {
            assertTrue(fetched.contains(chat), "missed " + chat);
            assertArrayEquals(backup.account.chat(backup.main, chat).json(), Files.readAllBytes(backup.chatFile(backup.main, chat)));
        }
        // The deleted chat was listed before it went. Chats are fetched while the list is read, so it may have
        // been fetched (and saved) before it went; else asking for it is answered 404: a deletion, not a failure.
        assertEquals(ExitStatus.OK, first.status(), first.toString());
        if (first.stderr().contains("(" + deleted + ") was deleted on claude.ai after its list was read")) {
            assertTrue(first.stderr().contains("1 deleted upstream"), first.stderr());
        } else {
            // gone from the account, so found by its uuid in the folder
            try (java.util.stream.Stream<Path> files = Files.list(backup.folder(backup.main).resolve("chat_conversations"))) {
                assertTrue(files.anyMatch(file -> file.getFileName().toString().endsWith(deleted + ".json")),
                        "neither saved before it went nor a deletion\n" + first);
            }
        }

        BackupRunner.Result next = backup.run();

        assertEquals(ExitStatus.OK, next.status(), next.toString());
        assertEquals(List.of(updated), backup.calls().chats(), "the next run catches up with the update, and only it");
        backup.assertHoldsEveryChat();
    }

    @Test
    void anUpdateWhilePagingRepeatsAnEntryWhichIsFetchedOnce() throws Exception {
        String updated = backup.chatAt(backup.main, 10);
        whenAskedFor("5+4", () -> backup.account.updateChat(backup.main, updated));

        BackupRunner.Result first = backup.run();

        assertEquals(ExitStatus.OK, first.status(), first.toString());
        List<String> fetched = backup.calls().chats();
        assertEquals(fetched.size(), new HashSet<>(fetched).size(), "the repeated entry is fetched once: " + fetched);
        assertEquals(13, fetched.size(), "every chat but the one that moved to the front behind the pager");
        assertFalse(fetched.contains(updated));

        backup.run();

        assertEquals(List.of(updated), backup.calls().chats());
        assertEquals(List.of("0+3"), backup.calls().v1Lists(backup.main), "the first run finished: the second stops early");
        backup.assertHoldsEveryChat();
    }

    @Test
    void twoDeletesBetweenTwoPagesMakeTheRunReadAStretchAgain() throws Exception {
        String first = backup.chatAt(backup.main, 0);
        String second = backup.chatAt(backup.main, 3);
        whenAskedFor("5+4", () -> {
            backup.account.deleteChat(backup.main, first);
            backup.account.deleteChat(backup.main, second); // the list moves up two: the overlap of one is not enough
        });

        backup.run();

        ApiCalls calls = backup.calls();
        assertEquals(List.of("0+3", "2+4", "5+4", "2+4", "5+4", "8+4"), calls.v1Lists(backup.main),
                "the page that started past its anchor is read again from a page earlier");
        for (SampleAccount.Chat chat : backup.account.chatList(backup.main)) {
            assertTrue(calls.chats().contains(chat.uuid()), "missed " + chat.name());
        }
        assertEquals(calls.chats().size(), new HashSet<>(calls.chats()).size());
    }

    private List<String> uuids() {
        return backup.account.chatList(backup.main).stream().map(SampleAccount.Chat::uuid).toList();
    }
}
