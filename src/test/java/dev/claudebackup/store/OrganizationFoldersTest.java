package dev.claudebackup.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.report.Console;
import dev.claudebackup.sync.ChatRef;
import dev.claudebackup.sync.Organization;

/** An organization's folder on disk: renamed with the organization, mended after a kill, adopted from another tool. */
class OrganizationFoldersTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ORG = "5a0c3f4e-8b21-4d6a-9f7e-2c1b0a9d8e7f";
    private static final String CHAT = "0b0c7a52-3f0e-4f7e-8d64-1c2b3a4d5e6f";

    @TempDir
    Path dir;
    BackupFolder backup;
    SavedChats saved;
    OrganizationFolders folders;
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        backup = new BackupFolder(dir);
        backup.create();
        saved = new SavedChats(backup, false);
        PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        folders = new OrganizationFolders(backup, saved, new Console(err, err, false));
    }

    @AfterEach
    void close() {
        saved.close();
    }

    /** An organization backed up under this name: its folder, a chat file and their records. */
    private String backedUpAs(String name) throws Exception {
        Organization organization = new Organization(ORG, name, true);
        String folder = folders.prepare(organization);
        String file = folder + "/chat_conversations/A_chat-" + CHAT + ".json";
        Files.writeString(backup.resolve(file), chatJson("2025-06-01T10:00:00.000000Z"));
        saved.record(ChatRef.of(organization, MAPPER.readTree(chatJson("2025-06-01T10:00:00.000000Z"))), file);
        saved.organizationStarted(ORG, folder, name);
        return folder;
    }

    private static String chatJson(String updatedAt) {
        return "{\"uuid\":\"" + CHAT + "\",\"name\":\"A chat\",\"updated_at\":\"" + updatedAt + "\",\"chat_messages\":[{\"text\":\"hi\"}]}";
    }

    @Test
    void aRenamedOrganizationsFolderIsRenamedWithItsContentsAndTheStateFollows() throws Exception {
        String old = backedUpAs("Old name");

        String renamed = folders.prepare(new Organization(ORG, "New name", true));

        assertEquals("organizations/New_name-" + ORG, renamed);
        assertFalse(Files.exists(backup.resolve(old)));
        assertTrue(Files.isRegularFile(backup.resolve(renamed + "/chat_conversations/A_chat-" + CHAT + ".json")));
        assertEquals(Optional.of(renamed + "/chat_conversations/A_chat-" + CHAT + ".json"), saved.fileOf(CHAT));
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("Renaming organization Old name to New name (" + ORG + ")"));
    }

    @Test
    void aRunKilledBetweenTheFolderRenameAndTheStateIsMendedByTheNext() throws Exception {
        String old = backedUpAs("Old name");
        // The folder was renamed; the state was not told.
        Files.move(backup.resolve(old), backup.resolve("organizations/New_name-" + ORG));

        String folder = folders.prepare(new Organization(ORG, "New name", true));

        assertEquals(Optional.of(folder + "/chat_conversations/A_chat-" + CHAT + ".json"), saved.fileOf(CHAT));
        assertTrue(saved.isSaved(CHAT, "2025-06-01T10:00:00.000000Z"), "the chat is not fetched again");
    }

    @Test
    void whenTheNewNameIsTakenTheOldFolderIsMovedIntoIt() throws Exception {
        String old = backedUpAs("Old name");
        Path taken = Files.createDirectories(backup.resolve("organizations/New_name-" + ORG + "/chat_conversations"));
        Files.writeString(taken.resolve("Other-" + "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d" + ".json"), "{}");

        String folder = folders.prepare(new Organization(ORG, "New name", true));

        assertFalse(Files.exists(backup.resolve(old)), "nothing was left behind");
        assertTrue(Files.isRegularFile(backup.resolve(folder + "/chat_conversations/A_chat-" + CHAT + ".json")));
        assertTrue(Files.isRegularFile(taken.resolve("Other-7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d.json")));
        assertTrue(saved.isSaved(CHAT, "2025-06-01T10:00:00.000000Z"));
    }

    @Test
    void adoptionTakesEachChatFilesOwnUpdatedAtSpelledAsTheSavedListSpellsIt() throws Exception {
        Organization organization = new Organization(ORG, "Python", true);
        String folder = "organizations/Python-" + ORG;
        Files.createDirectories(backup.resolve(folder + "/chat_conversations"));
        Files.writeString(backup.resolve(folder + "/chat_conversations/A_chat-" + CHAT + ".json"), chatJson("2025-06-01T10:00:00.5Z"));
        Files.writeString(backup.resolve(folder + "/chat_conversations.json"),
                "[{\"uuid\":\"" + CHAT + "\",\"name\":\"A chat\",\"updated_at\":\"2025-06-01T10:00:00.500000Z\"}]");
        Map<String, String> files = folders.chatFiles(folder);

        assertEquals(1, folders.adopt(organization, folder, files));

        assertTrue(saved.isSaved(CHAT, "2025-06-01T10:00:00.500000Z"), "the list's spelling of the same moment");
        saved.organizationStarted(ORG, folder, "Python"); // as the run goes on to do
        assertEquals(0, folders.adopt(organization, folder, files), "only a folder the state does not know is adopted");
    }

    @Test
    void adoptionTrustsTheFileNotAListThatIsAheadOfIt() throws Exception {
        Organization organization = new Organization(ORG, "Python", true);
        String folder = "organizations/Python-" + ORG;
        Files.createDirectories(backup.resolve(folder + "/chat_conversations"));
        Files.writeString(backup.resolve(folder + "/chat_conversations/A_chat-" + CHAT + ".json"), chatJson("2025-06-01T10:00:00.000000Z"));
        Files.writeString(backup.resolve(folder + "/chat_conversations.json"),
                "[{\"uuid\":\"" + CHAT + "\",\"name\":\"A chat\",\"updated_at\":\"2025-07-01T10:00:00.000000Z\"}]");

        folders.adopt(organization, folder, folders.chatFiles(folder));

        assertTrue(saved.isSaved(CHAT, "2025-06-01T10:00:00.000000Z"));
        assertFalse(saved.isSaved(CHAT, "2025-07-01T10:00:00.000000Z"), "so the newer version is fetched");
    }
}
