package dev.claudebackup.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.claudebackup.report.Console;
import dev.claudebackup.sync.ChatRef;
import dev.claudebackup.sync.Organization;
import dev.claudebackup.sync.OrganizationBackup;

/**
 * An organization's folder, {@code organizations/<OrgSlug>}: found by the uuid its name ends with,
 * renamed when the organization was renamed, and adopted when an earlier backup (this tool's or the
 * Python claude-backup's) made it without our state.
 */
public final class OrganizationFolders {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BackupFolder backup;
    private final SavedChats savedChats;
    private final Console console;

    public OrganizationFolders(BackupFolder backup, SavedChats savedChats, Console console) {
        this.backup = backup;
        this.savedChats = savedChats;
        this.console = console;
    }

    /** Makes the organization's folder ready and returns it, relative to the backup folder. */
    public String prepare(Organization organization) throws IOException {
        String wanted = BackupFolder.ORGANIZATIONS + "/" + organization.folderName();
        Optional<String> existing = savedChats.folderOf(organization.uuid())
                .filter(folder -> Files.isDirectory(backup.resolve(folder)))
                .or(() -> findByUuid(organization.uuid()));
        if (existing.isPresent() && !existing.get().equals(wanted)) {
            console.info("Renaming organization " + lastPart(existing.get()) + " to " + lastPart(wanted));
            Files.move(backup.resolve(existing.get()), backup.resolve(wanted));
            savedChats.organizationMoved(organization.uuid(), existing.get(), wanted);
        }
        PrivateFiles.createFolders(backup.resolve(wanted + "/" + OrganizationBackup.CHATS_FOLDER));
        return wanted;
    }

    /** The chat files in the folder, by the uuid their names end with. */
    public Map<String, String> chatFiles(String folder) throws IOException {
        Map<String, String> byUuid = new HashMap<>();
        Path chats = backup.resolve(folder + "/" + OrganizationBackup.CHATS_FOLDER);
        if (Files.isDirectory(chats)) {
            try (Stream<Path> files = Files.list(chats)) {
                files.forEach(file -> ChatFileNamer.uuidOf(file.getFileName().toString())
                        .filter(uuid -> !file.getFileName().toString().startsWith(BackupFolder.TEMP_PREFIX))
                        .ifPresent(uuid -> byUuid.put(uuid, backup.relativize(file))));
            }
        }
        return byUuid;
    }

    /**
     * A folder our state does not know (a Python claude-backup's, or ours after the state was lost):
     * its saved list tells at which {@code updated_at} each chat file was written, so those chats are
     * not downloaded again.
     */
    public int adopt(Organization organization, String folder, Map<String, String> chatFiles) throws IOException {
        if (savedChats.folderOf(organization.uuid()).isPresent()) {
            return 0;
        }
        Path list = backup.resolve(folder + "/" + OrganizationBackup.CHAT_LIST_FILE);
        if (!Files.isRegularFile(list)) {
            return 0;
        }
        JsonNode entries;
        try (InputStream in = Files.newInputStream(list)) {
            entries = MAPPER.readTree(in);
        } catch (IOException unreadable) {
            console.error("Cannot read " + list + " (" + unreadable.getMessage() + "): its chats will be fetched again");
            return 0;
        }
        int adopted = 0;
        for (JsonNode entry : entries.isArray() ? entries : entries.path("data")) {
            String uuid = entry.path("uuid").asText("");
            if (chatFiles.containsKey(uuid) && entry.hasNonNull("updated_at")) {
                savedChats.record(ChatRef.of(organization, entry), chatFiles.get(uuid));
                adopted++;
            }
        }
        return adopted;
    }

    private Optional<String> findByUuid(String uuid) {
        Path organizations = backup.organizations();
        if (!Files.isDirectory(organizations)) {
            return Optional.empty();
        }
        try (Stream<Path> folders = Files.list(organizations)) {
            return folders.filter(Files::isDirectory)
                    .filter(folder -> ChatFileNamer.uuidOf(folder.getFileName().toString()).filter(uuid::equals).isPresent())
                    .map(backup::relativize)
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String lastPart(String folder) {
        return folder.substring(folder.lastIndexOf('/') + 1);
    }
}
