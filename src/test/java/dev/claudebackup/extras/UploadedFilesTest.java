package dev.claudebackup.extras;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.store.BackupFolder;

/** The record of what went up, on a real backup folder. */
class UploadedFilesTest {

    private static final String CHAT = "organizations/Personal-o/chat_conversations/Chat-c.json";
    private static final String LIST = "organizations/Personal-o/chat_conversations.json";

    @TempDir
    Path root;
    BackupFolder backup;

    @BeforeEach
    void layout() throws Exception {
        backup = new BackupFolder(root);
        backup.create();
        write("account.json", "{}");
        write(LIST, "[]");
        write(CHAT, "{\"uuid\":\"c\"}");
        write("organizations/Personal-o/chat_conversations/.part-123", "half a chat");
        write(".claude-backup/state.db", "not part of the copy");
    }

    @Test
    void whatWentUpIsNotUploadedAgainUntilItChanges() throws Exception {
        UploadedFiles uploads = new UploadedFiles(backup, "s3://bucket/prefix/");
        assertEquals(List.of("account.json", LIST, CHAT), uploads.toUpload(), "the layout, no temporary file, no state");

        uploads.uploaded("account.json");
        uploads.uploaded(CHAT);
        assertEquals(List.of(LIST), uploads.toUpload());

        write(CHAT, "{\"uuid\":\"c\",\"name\":\"changed\"}");
        assertEquals(List.of(LIST, CHAT), uploads.toUpload(), "a new size");

        uploads.uploaded(CHAT);
        Files.setLastModifiedTime(backup.resolve(CHAT), FileTime.from(Instant.parse("2025-01-01T00:00:00Z")));
        assertEquals(List.of(LIST, CHAT), uploads.toUpload(), "a new modification time");
    }

    /** In schedule mode one process makes many runs: the record deleted between two (upload everything again) counts. */
    @Test
    void theRecordIsReadAnewAtEachRunNotOncePerProcess() throws Exception {
        UploadedFiles uploads = new UploadedFiles(backup, "s3://bucket/");
        dev.claudebackup.sync.BackupRun first = new dev.claudebackup.sync.BackupRun();
        uploads.beginRun(first);
        for (String path : uploads.toUpload()) {
            uploads.uploaded(path);
        }
        uploads.save();
        assertEquals(List.of(), uploads.toUpload());

        Files.delete(backup.stateFolder().resolve(UploadedFiles.FILE_NAME));
        uploads.beginRun(first);
        assertEquals(List.of(), uploads.toUpload(), "within one run, the record in memory stands");
        uploads.beginRun(new dev.claudebackup.sync.BackupRun());
        assertEquals(List.of("account.json", LIST, CHAT), uploads.toUpload(), "the next run reads the record again");
    }

    @Test
    void theRecordIsKeptForItsDestinationOnly() throws Exception {
        UploadedFiles uploads = new UploadedFiles(backup, "s3://bucket/prefix/");
        for (String path : uploads.toUpload()) {
            uploads.uploaded(path);
        }
        uploads.save();

        assertEquals(List.of(), new UploadedFiles(backup, "s3://bucket/prefix/").toUpload(), "read back by the next run");
        assertEquals(3, new UploadedFiles(backup, "s3://another-bucket/").toUpload().size(), "another bucket gets everything");
    }

    @Test
    void filesNoLongerInTheBackupAreToDeleteUntilDeleted() throws Exception {
        UploadedFiles uploads = new UploadedFiles(backup, "s3://bucket/");
        for (String path : uploads.toUpload()) {
            uploads.uploaded(path);
        }
        Files.delete(backup.resolve(CHAT));

        assertEquals(List.of(CHAT), uploads.toDelete());
        uploads.deleted(CHAT);
        assertEquals(List.of(), uploads.toDelete());
    }

    @Test
    void anUnreadableRecordMeansUploadingEverythingAgain() throws Exception {
        write(".claude-backup/" + UploadedFiles.FILE_NAME, "{ not json");

        assertEquals(3, new UploadedFiles(backup, "s3://bucket/").toUpload().size());
    }

    private void write(String path, String content) throws Exception {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
