package dev.claudebackup.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One sync of the file system for a group of new chat files: where it is used, and what a failure does. */
class FileSystemSyncTest {

    @TempDir
    Path dir;

    /** A syncer that notes its calls, and fails its syncs once told to. */
    static final class NotingSyncer implements FileSystemSync.Syncer {
        final List<String> calls = new ArrayList<>();
        boolean failOpen;
        boolean failSync;

        @Override
        public void open(Path root) throws IOException {
            calls.add("open");
            if (failOpen) {
                throw new IOException("cannot open");
            }
        }

        @Override
        public void sync() throws IOException {
            calls.add("sync");
            if (failSync) {
                throw new IOException("Input/output error");
            }
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    static FileSystemSync noting(Path root, NotingSyncer syncer) throws IOException {
        return new FileSystemSync(root, Files.getAttribute(root, "unix:dev", LinkOption.NOFOLLOW_LINKS), syncer, true);
    }

    @Test
    void onlyLinuxFrom517ReportsEveryFailureOfASync() {
        assertTrue(FileSystemSync.isLinuxFrom517("Linux", "5.17.0"));
        assertTrue(FileSystemSync.isLinuxFrom517("Linux", "6.18.44-fc-v769"));
        assertTrue(FileSystemSync.isLinuxFrom517("Linux", "6.1.0-28-amd64"));
        assertFalse(FileSystemSync.isLinuxFrom517("Linux", "5.15.0-91-generic"), "no failure of the journal's commit or the disk's flush");
        assertFalse(FileSystemSync.isLinuxFrom517("Linux", "5.4.0-150-generic"), "no failed writeback");
        assertFalse(FileSystemSync.isLinuxFrom517("Linux", "4.19.0"));
        assertFalse(FileSystemSync.isLinuxFrom517("Linux", "unknown"));
        assertFalse(FileSystemSync.isLinuxFrom517("Mac OS X", "14.2"));
        assertFalse(FileSystemSync.isLinuxFrom517("Windows 11", "10.0"));
    }

    @Test
    void aFolderNotMadeYetCountsAsTheFolderAboveItAndTheFileSystemIsOpenedOnceBeforeTheFirstFile() throws Exception {
        NotingSyncer syncer = new NotingSyncer();
        FileSystemSync sync = noting(dir, syncer);
        assertTrue(sync.covers(dir.resolve("organizations/Org/chat_conversations")));
        assertTrue(sync.covers(dir.resolve("organizations/Other/chat_conversations")));
        sync.sync();
        sync.sync();
        assertEquals(List.of("open", "sync", "sync"), syncer.calls);
        assertFalse(sync.covers(dir.getParent()), "outside the backup folder");
        sync.close();
        assertTrue(sync.covers(dir.resolve("organizations")), "opened again after a close");
        assertEquals(List.of("open", "sync", "sync", "close", "open"), syncer.calls);
    }

    @Test
    void aFailedSyncFailsEveryLaterOneAndCoversNothingAfter() throws Exception {
        NotingSyncer syncer = new NotingSyncer();
        FileSystemSync sync = noting(dir, syncer);
        assertTrue(sync.covers(dir));
        syncer.failSync = true;
        FileSystemException failed = assertThrows(FileSystemException.class, sync::sync);
        assertTrue(failed.getMessage().contains("Input/output error"), failed.getMessage());
        syncer.failSync = false;
        // Linux reports a failed writeback once: a later sync that succeeds says nothing of the files before
        assertThrows(FileSystemException.class, sync::sync);
        assertEquals(List.of("open", "sync"), syncer.calls, "never synced again");
        assertFalse(sync.covers(dir), "each file forced on its own from then on");
    }

    @Test
    void whereTheFileSystemCannotBeOpenedNothingIsCoveredAndASyncFails() throws Exception {
        NotingSyncer syncer = new NotingSyncer();
        syncer.failOpen = true;
        FileSystemSync sync = noting(dir, syncer);
        assertFalse(sync.covers(dir));
        assertFalse(sync.covers(dir), "not tried again");
        assertEquals(List.of("open"), syncer.calls);
        assertThrows(FileSystemException.class, sync::sync, "no sync's word without a descriptor opened before the files");
    }

    @Test
    void theRealSystemCallSyncsThisFileSystem() throws Exception {
        FileSystemSync sync = FileSystemSync.of(dir);
        assumeTrue(sync.covers(dir), "not Linux 5.8+ on " + FileSystemSync.FILE_SYSTEMS + " here");
        Files.writeString(dir.resolve("a.json"), "{}");
        sync.sync(); // through JNA, as the jar does
        sync.close();
        assertTrue(sync.covers(dir));
        sync.sync();
        sync.close();
    }

    @Test
    void elsewhereEachFileIsForcedOnItsOwn() throws Exception {
        FileSystemSync none = new FileSystemSync(dir, null, new NotingSyncer(), true);
        assertFalse(none.covers(dir), "no device: nothing covered");
        FileSystemSync off = new FileSystemSync(dir, Files.getAttribute(dir, "unix:dev"), new NotingSyncer(), false);
        assertFalse(off.covers(dir));
    }

    @Test
    void onlyANewChatFileIsLeftUnforcedAndOnlyWhereTheFileSystemIsCovered() throws Exception {
        BackupFolder folder = new BackupFolder(dir);
        folder.create();
        String file = "organizations/Org/chat_conversations/a.json";
        try (org.apache.camel.CamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            folder.useFileSystemSync(new FileSystemSync(folder.root(), null, new NotingSyncer(), false));
            assertFalse(writeChat(folder, camel, file, "{}"), "a file system not covered: forced (a sync that cannot be trusted)");
            Files.delete(folder.resolve(file));

            folder.useFileSystemSync(noting(folder.root(), new NotingSyncer()));
            assertTrue(writeChat(folder, camel, file, "{\"v\":1}"), "new: synced with its group");
            assertFalse(writeChat(folder, camel, file, "{\"v\":2}"), "replacing a file: forced before the rename");
            assertEquals("{\"v\":2}", Files.readString(folder.resolve(file)));
            // a renamed chat's old file is deleted as soon as the new one is in place: the new one is forced
            org.apache.camel.Exchange renamed = exchange(camel, "organizations/Org/chat_conversations/b.json", "{}");
            renamed.setProperty(ChatFiles.PREVIOUS_FILE_PROPERTY, file);
            folder.writeChat(renamed);
            assertEquals(Boolean.FALSE, renamed.getProperty(BackupFolder.UNFORCED_PROPERTY));
        }
    }

    private static boolean writeChat(BackupFolder folder, org.apache.camel.CamelContext camel, String file, String body) throws IOException {
        org.apache.camel.Exchange exchange = exchange(camel, file, body);
        folder.writeChat(exchange);
        return exchange.getProperty(BackupFolder.UNFORCED_PROPERTY, Boolean.class);
    }

    private static org.apache.camel.Exchange exchange(org.apache.camel.CamelContext camel, String file, String body) {
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(camel);
        exchange.getMessage().setHeader(org.apache.camel.Exchange.FILE_NAME, file);
        exchange.getMessage().setBody(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return exchange;
    }
}
