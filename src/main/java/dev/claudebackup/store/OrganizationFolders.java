package dev.claudebackup.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.claudebackup.api.ApiJson;
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

    private static final ObjectMapper MAPPER = ApiJson.mapper();
    private static final JsonFactory JSON = ApiJson.factory();

    private final BackupFolder backup;
    private final SavedChats savedChats;
    private final Console console;

    public OrganizationFolders(BackupFolder backup, SavedChats savedChats, Console console) {
        this.backup = backup;
        this.savedChats = savedChats;
        this.console = console;
    }

    /**
     * Makes the organization's folder ready and returns it, relative to the backup folder. A renamed
     * organization's folder is renamed first (one atomic rename), then the state's paths follow; a run
     * killed between the two is mended here by the next, which finds the folder by its uuid.
     */
    public String prepare(Organization organization) throws IOException {
        String wanted = BackupFolder.ORGANIZATIONS + "/" + organization.folderName();
        Optional<String> known = savedChats.folderOf(organization.uuid());
        Optional<String> existing = known.filter(folder -> Files.isDirectory(backup.resolve(folder)))
                .or(() -> findByUuid(organization.uuid()));
        if (existing.isPresent() && !existing.get().equals(wanted)) {
            String was = savedChats.nameOf(organization.uuid()).filter(name -> !name.isBlank())
                    .orElse(lastPart(existing.get()));
            console.info("Renaming organization " + was + " to " + organization.label());
            move(existing.get(), wanted);
        }
        if (known.isPresent() && !known.get().equals(wanted)) {
            savedChats.organizationMoved(organization.uuid(), known.get(), wanted);
        }
        backup.createFolders(backup.resolve(wanted + "/" + OrganizationBackup.CHATS_FOLDER));
        return wanted;
    }

    /**
     * Renames the folder; when the new name is taken already (a folder of the same organization, made by
     * another tool after the rename), moves what is not there yet into it instead.
     */
    private void move(String from, String to) throws IOException {
        Path source = backup.resolve(from);
        Path target = backup.resolve(to);
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS) || FileNames.sameFile(source, target)) {
            // a case-only rename on a case-insensitive file system is one folder: renamed in place, never
            // merged into itself and deleted
            backup.rename(source, target);
            return;
        }
        mergeInto(source, target);
        try {
            deleteEmptyFolders(source);
        } catch (DirectoryNotEmptyException kept) {
            console.error("Kept " + from + ": some of its files are also in " + to + " under the same names");
        }
    }

    private static void mergeInto(Path source, Path target) throws IOException {
        try (Stream<Path> children = Files.list(source)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                Path there = target.resolve(child.getFileName().toString());
                if (Files.isDirectory(child) && Files.isDirectory(there)) {
                    mergeInto(child, there);
                } else if (!Files.exists(there, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(child, there, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    private static void deleteEmptyFolders(Path folder) throws IOException {
        try (Stream<Path> children = Files.list(folder)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                if (Files.isDirectory(child)) {
                    deleteEmptyFolders(child);
                }
            }
        }
        Files.delete(folder);
    }

    /** The chat files in the folder, by the uuid their names end with. */
    public Map<String, String> chatFiles(String folder) throws IOException {
        Map<String, String> byUuid = new HashMap<>();
        Path chats = backup.resolve(folder + "/" + OrganizationBackup.CHATS_FOLDER);
        if (Files.isDirectory(chats)) {
            try (Stream<Path> files = Files.list(chats)) {
                files.filter(file -> !file.getFileName().toString().startsWith(BackupFolder.TEMP_PREFIX))
                        .filter(Files::isRegularFile)
                        .forEach(file -> ChatFileNamer.uuidOf(file.getFileName().toString())
                                .ifPresent(uuid -> byUuid.put(uuid, backup.relativize(file))));
            }
        }
        return byUuid;
    }

    /**
     * Takes over the chat files of a folder our state does not know (a Python claude-backup's, or ours
     * after the state was lost), so that the chats among them that did not change are not downloaded again.
     *
     * <p>The version of a chat that is saved is the {@code updated_at} inside its own file: the saved
     * list ({@code chat_conversations.json}) is not enough, since the Python tool writes it before it
     * fetches the chats, so after an interrupted run it names versions that were never saved. Where the
     * saved list names the same moment, its spelling of it is recorded, since the next lists compare
     * with that.
     *
     * @return how many chats were adopted
     */
    public int adopt(Organization organization, String folder, Map<String, String> chatFiles) {
        if (savedChats.folderOf(organization.uuid()).isPresent() || chatFiles.isEmpty()) {
            return 0;
        }
        Map<String, JsonNode> listed = savedList(folder);
        int adopted = 0;
        for (Map.Entry<String, String> file : chatFiles.entrySet()) {
            Optional<ObjectNode> saved = savedVersion(backup.resolve(file.getValue()));
            if (saved.isEmpty()) {
                continue; // unreadable or without a date: fetched again
            }
            ObjectNode version = saved.get();
            JsonNode entry = listed.get(file.getKey());
            if (entry != null && sameMoment(entry.path("updated_at").asText(""), version.path("updated_at").asText())) {
                version.put("updated_at", entry.path("updated_at").asText());
            }
            version.put("uuid", file.getKey());
            savedChats.record(ChatRef.of(organization, version), file.getValue());
            adopted++;
        }
        if (adopted > 0) {
            console.info("Adopted " + adopted + " chats already saved in " + folder);
        }
        return adopted;
    }

    /** The saved list by uuid; empty when there is none or it cannot be read. */
    private Map<String, JsonNode> savedList(String folder) {
        Map<String, JsonNode> byUuid = new HashMap<>();
        Path list = backup.resolve(folder + "/" + OrganizationBackup.CHAT_LIST_FILE);
        if (!Files.isRegularFile(list)) {
            return byUuid;
        }
        try (InputStream in = Files.newInputStream(list)) {
            JsonNode entries = MAPPER.readTree(in);
            for (JsonNode entry : entries.isArray() ? entries : entries.path("data")) {
                byUuid.put(entry.path("uuid").asText(""), entry);
            }
        } catch (IOException unreadable) {
            console.error("Cannot read " + list + " (" + unreadable.getMessage() + "); going by the chat files alone");
        }
        return byUuid;
    }

    /**
     * The {@code name} and {@code updated_at} of a saved chat; empty unless the file is one whole JSON
     * object with an {@code updated_at}. Read as a stream: a chat may be megabytes.
     */
    private static Optional<ObjectNode> savedVersion(Path file) {
        ObjectNode version = MAPPER.createObjectNode();
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.VALUE_STRING && (field.equals("name") || field.equals("updated_at"))) {
                    version.put(field, parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return Optional.empty();
            }
        } catch (IOException unreadable) {
            return Optional.empty(); // cut short or not JSON: fetched again
        }
        return version.path("updated_at").asText("").isEmpty() ? Optional.empty() : Optional.of(version);
    }

    private static boolean sameMoment(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        try {
            return Instant.parse(a).equals(Instant.parse(b));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private Optional<String> findByUuid(String uuid) {
        Path organizations = backup.organizations();
        if (!Files.isDirectory(organizations)) {
            return Optional.empty();
        }
        try (Stream<Path> folders = Files.list(organizations)) {
            return folders.filter(Files::isDirectory)
                    .filter(folder -> ChatFileNamer.uuidOf(folder.getFileName().toString()).filter(uuid::equalsIgnoreCase).isPresent())
                    .map(backup::relativize)
                    .sorted()
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String lastPart(String folder) {
        return folder.substring(folder.lastIndexOf('/') + 1);
    }
}
