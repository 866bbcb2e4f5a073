package dev.claudebackup.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.sync.ChatRef;
import dev.claudebackup.sync.Organization;

/** The state in SQLite: what a key means, what is forgotten (nothing), and its format version. */
class SavedChatsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;
    BackupFolder folder;
    SavedChats saved;
    Organization organization = new Organization(UUID.randomUUID().toString(), "Org", true);

    @BeforeEach
    void createFolder() throws Exception {
        folder = new BackupFolder(dir);
        folder.create();
        saved = new SavedChats(folder, false);
    }

    @AfterEach
    void close() {
        saved.close();
    }

    private ChatRef chat(String uuid, String updatedAt) {
        return ChatRef.of(organization, MAPPER.createObjectNode().put("uuid", uuid).put("name", "A chat").put("updated_at", updatedAt));
    }

    /** A file for the chat, and its record. */
    private String save(ChatRef chat) throws Exception {
        String file = "organizations/Org-" + organization.uuid() + "/chat_conversations/" + chat.fileName();
        Files.createDirectories(folder.resolve(file).getParent());
        Files.writeString(folder.resolve(file), "{}");
        saved.record(chat, file);
        return file;
    }

    /** What a run killed now leaves on disk (the backup folder's files as they are), opened by the next run. */
    private SavedChats stateAfterAKill() throws Exception {
        Path copy = dir.resolveSibling(dir.getFileName() + "-killed-" + System.nanoTime());
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(dir.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return new SavedChats(new BackupFolder(copy), false);
    }

    @Test
    void recordsAreCommittedInGroupsSoAKillLosesAtMostTheLastGroupWhoseChatsAreFetchedAgain() throws Exception {
        ChatRef first = chat(UUID.randomUUID().toString(), "2026-01-01T00:00:00Z");
        save(first);
        saved.organizationFinished(organization.uuid()); // the end of an organization commits
        ChatRef pending = chat(UUID.randomUUID().toString(), "2026-01-02T00:00:00Z");
        save(pending);

        SavedChats afterKill = stateAfterAKill();
        try {
            assertTrue(afterKill.contains(first.idempotencyKey()), "committed with the organization's end");
            assertFalse(afterKill.contains(pending.idempotencyKey()), "the open group is lost: fetched again, never missed");
        } finally {
            afterKill.close();
        }

        for (int i = 1; i < SavedChats.GROUP_RECORDS; i++) {
            save(chat(UUID.randomUUID().toString(), "2026-01-03T00:00:00Z"));
        }
        SavedChats afterFullGroup = stateAfterAKill();
        try {
            assertTrue(afterFullGroup.contains(pending.idempotencyKey()), "a group is committed once it holds " + SavedChats.GROUP_RECORDS);
        } finally {
            afterFullGroup.close();
        }

        ChatRef last = chat(UUID.randomUUID().toString(), "2026-01-04T00:00:00Z");
        save(last);
        saved.close();
        SavedChats reopened = new SavedChats(folder, false);
        try {
            assertTrue(reopened.contains(last.idempotencyKey()), "close commits the open group");
        } finally {
            reopened.close();
        }
    }

    @Test
    void aChatRemovedAfterItsRecordIsNotPrintedAndARecordThatFailsOpensNoGroup() throws Exception {
        ChatRef kept = chat(UUID.randomUUID().toString(), "2026-02-01T00:00:00Z");
        ChatRef failedAfter = chat(UUID.randomUUID().toString(), "2026-02-01T00:00:00Z");
        java.util.List<String> printed = new java.util.ArrayList<>();
        saved.record(kept, "organizations/a.json", null, false, () -> printed.add(kept.uuid()));
        saved.record(failedAfter, "organizations/b.json", null, false, () -> printed.add(failedAfter.uuid()));
        saved.remove(failedAfter.idempotencyKey()); // the Idempotent Consumer, when a step after the record failed
        saved.commit();
        assertEquals(java.util.List.of(kept.uuid()), printed, "a chat printed is a chat recorded");

        // a record that fails (no organization: NOT NULL) leaves no transaction open for the writes after it
        ChatRef orphan = ChatRef.of(new Organization(null, "No uuid", true),
                MAPPER.createObjectNode().put("uuid", UUID.randomUUID().toString()).put("name", "x").put("updated_at", "2026-02-02T00:00:00Z"));
        assertThrows(IllegalStateException.class, () -> saved.record(orphan, "organizations/c.json", null));
        saved.organizationStarted(organization.uuid(), "organizations/Org-" + organization.uuid(), "Org");
        saved.organizationFinished(organization.uuid());
        saved.close();
        SavedChats reopened = new SavedChats(folder, false);
        try {
            assertTrue(reopened.isComplete(organization.uuid()), "the writes after the failed record are committed");
        } finally {
            reopened.close();
        }
    }

    @Test
    void aNewStateRecordsItsFormatVersion() {
        saved.open();
        saved.close(); // open, the state is this process's alone (SQLite's exclusive locking mode)
        assertEquals(Optional.of(Integer.toString(SavedChats.FORMAT_VERSION)), StateDatabase.formatVersion(dir));
    }

    @Test
    void aStateOfANewerFormatIsRefusedWithAClearMessage() throws Exception {
        StateDatabase.execute(dir, "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                "INSERT INTO meta VALUES ('format-version', '" + (SavedChats.FORMAT_VERSION + 1) + "')");

        SavedChats.NewerFormatException refused = assertThrows(SavedChats.NewerFormatException.class, saved::open);

        assertTrue(refused.getMessage().contains("has format version " + (SavedChats.FORMAT_VERSION + 1)
                + ", newer than this claude-backup understands (" + SavedChats.FORMAT_VERSION + "): please update claude-backup."),
                refused.getMessage());
        assertEquals(Optional.of(Integer.toString(SavedChats.FORMAT_VERSION + 1)), StateDatabase.formatVersion(dir), "left as it was");
    }

    @Test
    void aStateOfFormatOneIsMigratedAndKeepsWhatItHeld() throws Exception {
        String uuid = UUID.randomUUID().toString();
        String file = "organizations/Org-" + organization.uuid() + "/chat_conversations/A_chat-" + uuid + ".json";
        Files.createDirectories(folder.resolve(file).getParent());
        Files.writeString(folder.resolve(file), "{}");
        // The layout of format 1, as the first claude-backup wrote it.
        StateDatabase.execute(dir, "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                "CREATE TABLE chats (uuid TEXT PRIMARY KEY, organization TEXT NOT NULL, updated_at TEXT NOT NULL, file TEXT NOT NULL, name TEXT)",
                "CREATE TABLE organizations (uuid TEXT PRIMARY KEY, folder TEXT NOT NULL, complete INTEGER NOT NULL DEFAULT 0)",
                "INSERT INTO meta VALUES ('format-version', '1')",
                "INSERT INTO chats VALUES ('" + uuid + "', '" + organization.uuid() + "', '2025-06-01T10:00:00.000000Z', '" + file + "', 'A chat')",
                "INSERT INTO organizations VALUES ('" + organization.uuid() + "', 'organizations/Org-" + organization.uuid() + "', 1)");

        saved.open();
        saved.close(); // open, the state is this process's alone (SQLite's exclusive locking mode)

        assertEquals(Optional.of(Integer.toString(SavedChats.FORMAT_VERSION)), StateDatabase.formatVersion(dir), "step by step to now");
        assertTrue(saved.contains(SavedChats.key(uuid, "2025-06-01T10:00:00.000000Z")));
        assertTrue(saved.isComplete(organization.uuid()));
        saved.organizationStarted(organization.uuid(), "organizations/Org-" + organization.uuid(), "Org");
        assertEquals(Optional.of("Org"), saved.nameOf(organization.uuid()));
        assertEquals(null, saved.savedChats().get(0).sha256(), "a chat saved before format 3 has no hash until saved again");
    }

    @Test
    void aStateOfFormatTwoGetsTheHashColumnAndAChatRecordedNowTheHashOfItsFile() throws Exception {
        // The layout of format 2.
        StateDatabase.execute(dir, "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                "CREATE TABLE chats (uuid TEXT PRIMARY KEY, organization TEXT NOT NULL, updated_at TEXT NOT NULL, file TEXT NOT NULL, name TEXT)",
                "CREATE INDEX chats_by_organization ON chats (organization)",
                "CREATE TABLE organizations (uuid TEXT PRIMARY KEY, folder TEXT NOT NULL, name TEXT, complete INTEGER NOT NULL DEFAULT 0,"
                        + " retired_list_path TEXT)",
                "INSERT INTO meta VALUES ('format-version', '2')");
        ChatRef chat = chat(UUID.randomUUID().toString(), "2025-06-01T10:00:00.000000Z");

        String file = save(chat);
        String sha256 = saved.savedChats().get(0).sha256();
        saved.close(); // the state is this process's alone while open (locking_mode=EXCLUSIVE)

        assertEquals(Optional.of("3"), StateDatabase.formatVersion(dir));
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(folder.resolve(file))));
        assertEquals(expected, sha256);
    }

    @Test
    void aKeyIsOneVersionOfOneChat() throws Exception {
        String uuid = UUID.randomUUID().toString();
        ChatRef first = chat(uuid, "2025-06-01T10:00:00.000000Z");
        ChatRef second = chat(uuid, "2025-06-02T10:00:00.000000Z");
        save(first);

        assertTrue(saved.contains(first.idempotencyKey()));
        assertFalse(saved.contains(second.idempotencyKey()), "a newer version is not saved");
        assertFalse(saved.remove(second.idempotencyKey()), "a failed newer version takes nothing away");
        assertTrue(saved.contains(first.idempotencyKey()));
        assertTrue(saved.remove(first.idempotencyKey()));
        assertFalse(saved.contains(first.idempotencyKey()));
    }

    @Test
    void aRecordWhoseFileIsGoneDoesNotCountAsSaved() throws Exception {
        ChatRef chat = chat(UUID.randomUUID().toString(), "2025-06-01T10:00:00.000000Z");
        String file = save(chat);
        Files.delete(folder.resolve(file));

        assertFalse(saved.contains(chat.idempotencyKey()));
    }

    @Test
    void ignoringTheCacheTheConsumerSeesNothingSavedButTheFilesAreStillKnown() throws Exception {
        ChatRef chat = chat(UUID.randomUUID().toString(), "2025-06-01T10:00:00.000000Z");
        String file = save(chat);
        saved.close();
        SavedChats ignoring = new SavedChats(folder, true);

        assertFalse(ignoring.contains(chat.idempotencyKey()));
        assertTrue(ignoring.isSaved(chat.uuid(), chat.updatedAt()));
        assertEquals(Optional.of(file), ignoring.fileOf(chat.uuid()), "a rename is still followed");
        ignoring.close();
    }

    @Test
    void itNeverForgets() throws Exception {
        int chats = 3000;
        String[] keys = new String[chats];
        for (int i = 0; i < chats; i++) {
            ChatRef chat = chat(UUID.randomUUID().toString(), "2025-06-01T10:00:00.000000Z");
            save(chat);
            keys[i] = chat.idempotencyKey();
        }
        saved.close();
        SavedChats reopened = new SavedChats(folder, false);
        for (String key : keys) {
            assertTrue(reopened.contains(key), key);
        }
        assertEquals(chats, reopened.chatCount(organization.uuid()));
        reopened.close();
    }

    @Test
    void theRowsLookedUpFollowEveryChangeAndAgreeWithTheTable() throws Exception {
        ChatRef kept = chat(UUID.randomUUID().toString(), "2025-06-01T10:00:00.000000Z");
        ChatRef removed = chat(UUID.randomUUID().toString(), "2025-06-01T10:00:00.000000Z");
        ChatRef forgotten = chat(UUID.randomUUID().toString(), "2025-06-01T10:00:00.000000Z");
        save(kept);
        save(removed);
        saved.commit();
        assertEquals(2, saved.savedChats().size()); // read whole, as each run's start does
        ChatRef added = chat(UUID.randomUUID().toString(), "2025-06-02T10:00:00.000000Z");
        ChatRef newer = chat(kept.uuid(), "2025-06-03T10:00:00.000000Z");

        assertFalse(saved.contains(added.idempotencyKey()), "not in the table read whole");
        String addedFile = save(added);
        assertTrue(saved.contains(added.idempotencyKey()), "recorded after the table was read");
        assertEquals(Optional.of(addedFile), saved.fileOf(added.uuid()));
        assertFalse(saved.contains(newer.idempotencyKey()));
        String newerFile = save(newer);
        assertTrue(saved.contains(newer.idempotencyKey()));
        assertFalse(saved.contains(kept.idempotencyKey()), "its older version is replaced");
        assertTrue(saved.remove(removed.idempotencyKey()));
        assertFalse(saved.contains(removed.idempotencyKey()));
        assertEquals(Optional.empty(), saved.fileOf(removed.uuid()));
        save(forgotten);
        saved.forget(forgotten.uuid());
        assertEquals(Optional.empty(), saved.fileOf(forgotten.uuid()));
        saved.close();

        SavedChats reopened = new SavedChats(folder, false);
        try {
            assertTrue(reopened.contains(added.idempotencyKey()));
            assertEquals(Optional.of(addedFile), reopened.fileOf(added.uuid()));
            assertTrue(reopened.contains(newer.idempotencyKey()));
            assertEquals(Optional.of(newerFile), reopened.fileOf(kept.uuid()));
            assertFalse(reopened.contains(kept.idempotencyKey()));
            assertEquals(Optional.empty(), reopened.fileOf(removed.uuid()));
            assertEquals(Optional.empty(), reopened.fileOf(forgotten.uuid()));
        } finally {
            reopened.close();
        }
    }

    @Test
    void aMovedOrganizationFolderMovesOnlyItsOwnChatPaths() throws Exception {
        String folderA = "organizations/A-" + organization.uuid();
        String lookalike = folderA + "x";
        ChatRef inA = chat(UUID.randomUUID().toString(), "2025-06-01T10:00:00.000000Z");
        ChatRef inLookalike = chat(UUID.randomUUID().toString(), "2025-06-01T10:00:00.000000Z");
        saved.record(inA, folderA + "/chat_conversations/a.json");
        saved.record(inLookalike, lookalike + "/chat_conversations/b.json");
        saved.organizationStarted(organization.uuid(), folderA, "A");

        saved.organizationMoved(organization.uuid(), folderA, "organizations/B-" + organization.uuid());

        assertEquals(Optional.of("organizations/B-" + organization.uuid() + "/chat_conversations/a.json"), saved.fileOf(inA.uuid()));
        assertEquals(Optional.of(lookalike + "/chat_conversations/b.json"), saved.fileOf(inLookalike.uuid()));
        assertEquals(Optional.of("organizations/B-" + organization.uuid()), saved.folderOf(organization.uuid()));
    }

    @Test
    void aGroupWhoseNewFilesCannotBeSyncedIsNotRecordedNorPrintedAndItsOrganizationNotFinished() throws Exception {
        FileSystemSyncTest.NotingSyncer syncer = new FileSystemSyncTest.NotingSyncer();
        folder.useFileSystemSync(FileSystemSyncTest.noting(dir, syncer));
        assertTrue(folder.fileSystemSync().covers(dir));
        saved.organizationStarted(organization.uuid(), "organizations/Org-" + organization.uuid(), "Org");
        java.util.List<String> printed = new java.util.ArrayList<>();
        ChatRef synced = chat(UUID.randomUUID().toString(), "2026-03-01T00:00:00Z");
        saved.record(synced, "organizations/a.json", null, true, () -> printed.add(synced.uuid()));
        saved.commit();
        assertEquals(java.util.List.of("open", "sync"), syncer.calls, "one sync before the group's commit");
        assertEquals(java.util.List.of(synced.uuid()), printed);

        syncer.failSync = true;
        ChatRef lost = chat(UUID.randomUUID().toString(), "2026-03-01T00:00:00Z");
        ChatRef forced = chat(UUID.randomUUID().toString(), "2026-03-01T00:00:00Z");
        saved.record(lost, "organizations/b.json", null, true, () -> printed.add(lost.uuid()));
        saved.record(forced, "organizations/c.json", null, false, () -> printed.add(forced.uuid()));
        IllegalStateException failed = assertThrows(IllegalStateException.class, saved::commit);
        assertTrue(failed.getMessage().contains("The last 2 chats saved are not recorded"), failed.getMessage());
        assertTrue(failed.getCause() instanceof java.nio.file.FileSystemException, "a write failure: never retried as a network fault");
        assertEquals(java.util.List.of(synced.uuid()), printed, "a chat printed is a chat recorded");
        assertEquals(Optional.empty(), saved.fileOf(lost.uuid()), "what the dropped group wrote is not remembered either");
        assertEquals(Optional.of("organizations/a.json"), saved.fileOf(synced.uuid()));

        // the group after it holds only forced files: committed as before; the organization stays unfinished
        ChatRef after = chat(UUID.randomUUID().toString(), "2026-03-02T00:00:00Z");
        saved.record(after, "organizations/d.json", null, false, () -> printed.add(after.uuid()));
        saved.organizationFinished(organization.uuid());
        assertEquals(java.util.List.of(synced.uuid(), after.uuid()), printed);
        saved.close();
        assertEquals("close", syncer.calls.get(syncer.calls.size() - 1), "the descriptor closed with the state");
        SavedChats reopened = new SavedChats(folder, false);
        try {
            Optional<String> none = Optional.empty();
            assertEquals(Optional.of("organizations/a.json"), reopened.fileOf(synced.uuid()));
            assertEquals(none, reopened.fileOf(lost.uuid()), "fetched and written again by the next run");
            assertEquals(none, reopened.fileOf(forced.uuid()), "the whole group is dropped");
            assertEquals(Optional.of("organizations/d.json"), reopened.fileOf(after.uuid()));
            assertFalse(reopened.isComplete(organization.uuid()), "the next run reads the whole list, and finds the chats not recorded");
        } finally {
            reopened.close();
        }
    }

    @Test
    void aDroppedGroupLeavesItsOrganizationUnfinishedEvenIfItWasFinishedBeforeAndTheNextStartOfItCountsAgain() throws Exception {
        FileSystemSyncTest.NotingSyncer syncer = new FileSystemSyncTest.NotingSyncer();
        folder.useFileSystemSync(FileSystemSyncTest.noting(dir, syncer));
        assertTrue(folder.fileSystemSync().covers(dir));
        String orgFolder = "organizations/Org-" + organization.uuid();
        saved.organizationStarted(organization.uuid(), orgFolder, "Org");
        saved.organizationFinished(organization.uuid());
        assertTrue(saved.isComplete(organization.uuid()));
        // a group of the organization's open (the run stopped before its end, say) whose sync fails
        syncer.failSync = true;
        saved.record(chat(UUID.randomUUID().toString(), "2026-03-03T00:00:00Z"), orgFolder + "/x.json", null, true, () -> { });
        assertThrows(IllegalStateException.class, saved::commit);
        assertFalse(saved.isComplete(organization.uuid()), "an early stop would not reach the chats not recorded");

        // the organization begun again (the next scheduled run, in the same process) can finish again
        saved.organizationStarted(organization.uuid(), orgFolder, "Org");
        save(chat(UUID.randomUUID().toString(), "2026-03-04T00:00:00Z"));
        saved.organizationFinished(organization.uuid());
        assertTrue(saved.isComplete(organization.uuid()));
    }
}
