package dev.claudebackup.search;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.claudebackup.search.IndexedDocument.Entry;
import dev.claudebackup.search.IndexedDocument.Kind;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.store.SourcesStamp;

/**
 * Reads what the backup holds into the {@link SearchIndex}: chats
 * ({@code organizations/<OrgSlug>/chat_conversations/*.json}), projects
 * ({@code organizations/<OrgSlug>/projects/<ProjectSlug>/project.json} with its docs.json, files.json and
 * memory.json) and each organization's memory.json. The JSON on disk is the only source.
 */
public final class BackupIndexer {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Documents per transaction in a rebuild: few commits, and a bounded transaction. */
    private static final int REBUILD_BATCH = 500;

    private final BackupFolder backup;
    private final SearchIndex index;
    private final Map<String, String> organizationNames = new ConcurrentHashMap<>();

    public BackupIndexer(BackupFolder backup, SearchIndex index) {
        this.backup = backup;
        this.index = index;
    }

    public SearchIndex index() {
        return index;
    }

    /** Opens the index, and rebuilds it from the files if it was missing, of an older format or half-built. */
    public synchronized boolean openOrRebuild() throws IOException, SQLException {
        if (index.open()) {
            return false;
        }
        rebuild();
        return true;
    }

    /** Everything again, from the files. Returns the number of documents indexed. */
    public synchronized int rebuild() throws IOException, SQLException {
        index.open();
        index.clear();
        organizationNames.clear();
        String sources = SourcesStamp.of(backup.root());
        List<Path> files = indexableFiles();
        for (int from = 0; from < files.size(); from += REBUILD_BATCH) {
            List<Path> batch = files.subList(from, Math.min(files.size(), from + REBUILD_BATCH));
            index.inTransaction(() -> {
                for (Path file : batch) {
                    indexFile(file);
                }
            });
        }
        index.setComplete(true);
        index.setSources(sources);
        return files.size();
    }

    /**
     * {@link #refresh}, unless the backup's JSON is as it was at the last refresh or rebuild
     * ({@link SourcesStamp}): a run that saved nothing lists and looks at none of its files.
     */
    public synchronized int refreshIfChanged() throws IOException, SQLException {
        String sources = SourcesStamp.of(backup.root()); // before the look: what changes meanwhile is seen next time
        if (sources.equals(index.sources())) {
            return 0;
        }
        int changed = refresh();
        index.setSources(sources);
        return changed;
    }

    /**
     * Indexes every file that is new or changed since it was indexed (by modification time), and takes
     * out the documents whose file is gone (a chat removed with --ignore-cache, a renamed one's old file).
     */
    public synchronized int refresh() throws IOException, SQLException {
        Map<String, Long> indexed = index.indexedFiles();
        Set<String> present = new HashSet<>();
        List<Path> changed = new ArrayList<>();
        for (Path file : indexableFiles()) {
            String relative = backup.relativize(file);
            present.add(relative);
            Long modified = indexed.get(relative);
            if (modified == null || modified != modified(file)) {
                changed.add(file);
            }
        }
        List<String> gone = indexed.keySet().stream().filter(file -> !present.contains(file)).toList();
        if (!gone.isEmpty()) {
            index.remove(gone);
        }
        index.inTransaction(() -> {
            for (Path file : changed) {
                indexFile(file);
            }
        });
        return changed.size();
    }

    /** A chat just saved, by its path relative to the backup folder. */
    public void chat(String relative) throws IOException, SQLException {
        Path file = backup.resolve(relative);
        index.replace(chatDocument(file), modified(file));
    }

    /** A project just saved, by its project.json's path relative to the backup folder: the project and its memory. */
    public void project(String projectJson) throws IOException, SQLException {
        Path file = backup.resolve(projectJson);
        index.inTransaction(() -> {
            indexFile(file);
            Path memory = file.resolveSibling("memory.json");
            if (Files.isRegularFile(memory)) {
                indexFile(memory);
            }
        });
    }

    private void indexFile(Path file) throws SQLException {
        try {
            long modified = modified(file);
            Optional<IndexedDocument> document = document(file);
            if (document.isPresent()) {
                index.replace(document.get(), modified);
            }
        } catch (IOException | RuntimeException e) {
            // One file that is not what a chat or project looks like (cut short, or by another tool) does not
            // stop the rest: it is simply not findable until it is saved again.
            System.getLogger(BackupIndexer.class.getName()).log(System.Logger.Level.WARNING,
                    "Not indexed for search: " + backup.relativize(file) + ": " + e.getMessage());
        }
    }

    /** What the index holds of this file (a chat's, project.json or a memory.json), read from it now. */
    Optional<IndexedDocument> document(Path file) throws IOException {
        String name = file.getFileName().toString();
        return name.equals("project.json") ? projectDocument(file)
                : name.equals("memory.json") ? memoryDocument(file)
                : Optional.of(chatDocument(file));
    }

    BackupFolder backup() {
        return backup;
    }

    /** When the file last changed; a project's is the latest of its project.json, docs.json and files.json. */
    private static long modified(Path file) throws IOException {
        long modified = Files.getLastModifiedTime(file).toMillis();
        if (file.getFileName().toString().equals("project.json")) {
            for (String sibling : List.of("docs.json", "files.json")) {
                Path other = file.resolveSibling(sibling);
                if (Files.isRegularFile(other)) {
                    modified = Math.max(modified, Files.getLastModifiedTime(other).toMillis());
                }
            }
        }
        return modified;
    }

    IndexedDocument chatDocument(Path file) throws IOException {
        ChatEntries.Chat chat;
        try (InputStream in = Files.newInputStream(file)) {
            chat = ChatEntries.read(in);
        }
        String uuid = chat.uuid() != null ? chat.uuid() : ChatFileNamer.uuidOf(file.getFileName().toString())
                .orElseThrow(() -> new IOException("a chat without a uuid"));
        Path organizationFolder = file.getParent().getParent();
        String organizationUuid = organizationUuid(organizationFolder);
        return new IndexedDocument(uuid, Kind.CHAT, organizationUuid, organizationName(organizationFolder),
                chat.projectUuid(), chat.name(), chat.updatedAt(), backup.relativize(file), chat.entries());
    }

    private Optional<IndexedDocument> projectDocument(Path file) throws IOException {
        JsonNode project = MAPPER.readTree(file.toFile());
        String uuid = project.path("uuid").asText(null);
        if (uuid == null) {
            return Optional.empty();
        }
        List<Entry> entries = new ArrayList<>();
        add(entries, ChatEntries.join(project.path("name").asText(null), project.path("description").asText(null)));
        add(entries, project.path("prompt_template").asText(null));
        for (JsonNode doc : array(file.resolveSibling("docs.json"))) {
            add(entries, ChatEntries.join(doc.has("file_name") ? doc.path("file_name").asText(null) : doc.path("filename").asText(null),
                    doc.path("content").asText(null)));
        }
        StringBuilder fileNames = new StringBuilder();
        for (JsonNode entry : array(file.resolveSibling("files.json"))) {
            if (entry.hasNonNull("file_name")) {
                fileNames.append(entry.path("file_name").asText()).append('\n');
            }
        }
        add(entries, fileNames.toString());
        Path organizationFolder = file.getParent().getParent().getParent();
        return Optional.of(new IndexedDocument(uuid, Kind.PROJECT, organizationUuid(organizationFolder),
                organizationName(organizationFolder), uuid, project.path("name").asText(null),
                project.path("updated_at").asText(null), backup.relativize(file), entries));
    }

    /** A memory.json: the organization's (next to its chats) or a project's (in its folder). */
    private Optional<IndexedDocument> memoryDocument(Path file) throws IOException {
        JsonNode memory = MAPPER.readTree(file.toFile());
        String text = memory.path("memory").asText(null);
        boolean ofProject = file.getParent().getParent().getFileName().toString().equals("projects");
        Path organizationFolder = ofProject ? file.getParent().getParent().getParent() : file.getParent();
        String organizationUuid = organizationUuid(organizationFolder);
        String projectUuid = null;
        if (ofProject) {
            JsonNode project = readOrNull(file.resolveSibling("project.json"));
            projectUuid = project != null && project.hasNonNull("uuid") ? project.path("uuid").asText()
                    : ChatFileNamer.uuidOf(file.getParent().getFileName().toString()).orElse(null);
        }
        String owner = projectUuid != null ? projectUuid : organizationUuid;
        if (owner == null) {
            return Optional.empty();
        }
        List<Entry> entries = new ArrayList<>();
        add(entries, text);
        return Optional.of(new IndexedDocument(SearchHit.MEMORY_PREFIX + owner, Kind.MEMORY, organizationUuid,
                organizationName(organizationFolder), projectUuid, "Memory", memory.path("updated_at").asText(null),
                backup.relativize(file), entries));
    }

    /** Every file the index covers, as they are on disk now (temporary files left out). */
    private List<Path> indexableFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        Path organizations = backup.organizations();
        if (!Files.isDirectory(organizations)) {
            return files;
        }
        for (Path organization : folders(organizations)) {
            addJson(files, organization.resolve("chat_conversations"));
            Path memory = organization.resolve("memory.json");
            if (Files.isRegularFile(memory)) {
                files.add(memory);
            }
            Path projects = organization.resolve("projects");
            if (Files.isDirectory(projects)) {
                for (Path project : folders(projects)) {
                    for (String name : List.of("project.json", "memory.json")) {
                        Path found = project.resolve(name);
                        if (Files.isRegularFile(found)) {
                            files.add(found);
                        }
                    }
                }
            }
        }
        return files;
    }

    private static List<Path> folders(Path parent) throws IOException {
        List<Path> folders = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, Files::isDirectory)) {
            entries.forEach(folders::add);
        }
        folders.sort(null);
        return folders;
    }

    private static void addJson(List<Path> files, Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "*.json")) {
            for (Path entry : entries) {
                if (!entry.getFileName().toString().startsWith(BackupFolder.TEMP_PREFIX)) {
                    files.add(entry);
                }
            }
        }
    }

    private static Iterable<JsonNode> array(Path file) throws IOException {
        JsonNode node = readOrNull(file);
        if (node != null && node.isObject() && node.path("data").isArray()) {
            node = node.path("data");
        }
        return node != null && node.isArray() ? node : List.of();
    }

    private static JsonNode readOrNull(Path file) throws IOException {
        return Files.isRegularFile(file) ? MAPPER.readTree(file.toFile()) : null;
    }

    private static void add(List<Entry> entries, String body) {
        if (body != null && !body.isBlank()) {
            entries.add(Entry.of(body));
        }
    }

    private static String organizationUuid(Path organizationFolder) {
        return ChatFileNamer.uuidOf(organizationFolder.getFileName().toString()).orElse(null);
    }

    /** The organization's name: from account.json (read again when an organization is new), else from its folder. */
    private String organizationName(Path organizationFolder) {
        String folder = organizationFolder.getFileName().toString();
        String uuid = organizationUuid(organizationFolder);
        if (uuid == null) {
            return folder;
        }
        String name = organizationNames.get(uuid);
        if (name == null) {
            readAccount();
            name = organizationNames.computeIfAbsent(uuid, missing ->
                    folder.length() > 37 ? folder.substring(0, folder.length() - 37).replace('_', ' ') : folder);
        }
        return name;
    }

    private void readAccount() {
        try {
            JsonNode account = readOrNull(backup.root().resolve("account.json"));
            if (account != null) {
                for (JsonNode membership : account.path("memberships")) {
                    JsonNode organization = membership.path("organization");
                    if (organization.hasNonNull("uuid") && organization.hasNonNull("name")) {
                        organizationNames.put(organization.path("uuid").asText(), organization.path("name").asText());
                    }
                }
            }
        } catch (IOException e) {
            // the folder's name is used instead
        }
    }
}
