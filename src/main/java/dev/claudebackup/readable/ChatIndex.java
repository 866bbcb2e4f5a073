package dev.claudebackup.readable;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.mustachejava.Mustache;

import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.ChatFileNamer;

/**
 * readable/index.html and the data it shows, readable/index-data.js (loaded with {@code <script src>},
 * so it opens from file:// where fetch() of a local file is refused). Each chat's row is kept in
 * readable/index-rows.json, so that a run that changed one chat reads one chat's JSON, not all of them.
 */
final class ChatIndex {

    /** One chat in the index; {@code json} (relative to the backup folder), {@code modified} and {@code size} tell whether it is current. */
    record Row(String json, long modified, long size, String uuid, String name, String organization, String project,
               String projectUuid, String updated, String model, boolean starred, int messages, String summary, String page) {

        Row withProject(String projectName, String organizationName) {
            return new Row(json, modified, size, uuid, name, organizationName, projectName, projectUuid, updated, model, starred,
                    messages, summary, page);
        }
    }

    static final String ROWS_FILE = "index-rows.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ReadableFolder folder;
    private final Supplier<Mustache> indexPage;
    private volatile Map<String, Row> rows;

    ChatIndex(ReadableFolder folder, Supplier<Mustache> indexPage) {
        this.folder = folder;
        this.indexPage = indexPage;
    }

    /** The rows rendered before, by JSON path; read once, from readable/index-rows.json. */
    Map<String, Row> rows() {
        Map<String, Row> known = rows;
        if (known == null) {
            synchronized (this) {
                if (rows == null) {
                    Map<String, Row> loaded = new ConcurrentHashMap<>();
                    Path file = folder.resolve(ROWS_FILE);
                    if (Files.isRegularFile(file)) {
                        try {
                            List<Row> saved = MAPPER.readValue(file.toFile(), new TypeReference<List<Row>>() { });
                            saved.forEach(row -> loaded.put(row.json(), row));
                        } catch (IOException e) {
                            // rebuilt: every chat is rendered again
                        }
                    }
                    rows = loaded;
                }
                known = rows;
            }
        }
        return known;
    }

    void put(Row row) {
        rows().put(row.json(), row);
    }

    void forget(String json) {
        rows().remove(json);
    }

    /** The rows of an organization's chats (organizations/&lt;OrgSlug&gt;/...): its pages are not there. */
    void forgetOrganization(String orgSlug) {
        String prefix = BackupFolder.ORGANIZATIONS + "/" + orgSlug + "/";
        rows().keySet().removeIf(json -> json.startsWith(prefix));
    }

    /** Whether the chat has a row: it was rendered before, under this JSON path. */
    boolean rendered(String json) {
        return rows().containsKey(json);
    }

    /** Whether the chat's file is the one its row was made from, and its page is there. */
    boolean current(String json, long modified, long size, Path page) {
        Row row = rows().get(json);
        return row != null && row.modified() == modified && row.size() == size && page.toFile().exists(); // no exception when absent
    }

    /**
     * Whether the chat's page shows another name of its project or organization than they have now (a
     * project saved after the chat was rendered, in this run or a later one). Its row keeps the project's
     * uuid even while the project is unknown, so the page is made again once it is known.
     */
    boolean showsOtherNames(String json, String orgSlug, OrganizationNames names) {
        Row row = rows().get(json);
        if (row == null) {
            return false; // not rendered: not current either
        }
        Projects.Project project = names.project(orgSlug, row.projectUuid());
        return !Objects.equals(row.project(), project == null ? "" : project.name())
                || !Objects.equals(row.organization(), names.name(orgSlug));
    }

    /**
     * Writes the index of these chats (every chat in the backup) and projects, drops the rows of chats
     * gone from the backup, and deletes their pages.
     */
    void write(Set<String> chatFiles, OrganizationNames names, List<Projects.Project> projects) throws IOException {
        rows().keySet().retainAll(chatFiles);
        List<Row> shown = new ArrayList<>();
        for (Row row : rows().values()) {
            String orgSlug = row.json().split("/")[1];
            Projects.Project project = names.project(orgSlug, row.projectUuid());
            shown.add(row.withProject(project == null ? "" : project.name(), names.name(orgSlug)));
        }
        shown.sort(Comparator.comparing(Row::updated).reversed().thenComparing(Row::name));

        List<Map<String, Object>> chats = new ArrayList<>(shown.size());
        for (Row row : shown) {
            Map<String, Object> chat = new LinkedHashMap<>();
            chat.put("uuid", row.uuid());
            chat.put("name", row.name());
            chat.put("organization", row.organization());
            chat.put("project", row.project());
            chat.put("projectUuid", row.projectUuid());
            chat.put("updated", row.updated());
            chat.put("model", row.model());
            chat.put("starred", row.starred());
            chat.put("messages", row.messages());
            chat.put("summary", row.summary());
            chat.put("page", row.page());
            chats.add(chat);
        }
        List<Map<String, Object>> projectList = new ArrayList<>();
        for (Projects.Project project : projects) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("uuid", project.uuid());
            entry.put("name", project.name());
            entry.put("description", project.description());
            entry.put("organization", names.name(project.orgSlug()));
            entry.put("instructions", project.instructions());
            entry.put("memory", project.memory());
            entry.put("docs", project.docs());
            entry.put("chats", shown.stream().filter(row -> row.projectUuid().equalsIgnoreCase(project.uuid())).count());
            projectList.add(entry);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("chats", chats);
        data.put("projects", projectList);

        folder.copyAssets();
        folder.write(folder.resolve("index-data.js"), "window.claudeBackupIndex = " + MAPPER.writeValueAsString(data) + ";\n");
        StringWriter html = new StringWriter();
        indexPage.get().execute(html, Map.of("chats", shown.size(), "projects", projects.size()));
        folder.write(folder.resolve("index.html"), html.toString());
        List<Row> kept = new ArrayList<>(rows().values());
        kept.sort(Comparator.comparing(Row::json)); // the same rows, the same bytes
        folder.write(folder.resolve(ROWS_FILE), MAPPER.writeValueAsBytes(kept));
    }

    /**
     * Deletes what readable/ holds for chats and projects no longer in the backup (deleted, or renamed
     * while rendering was off): only files named after a uuid, never anything else a person put there.
     */
    void prune(Set<String> chatFiles, Set<String> projectFolders) throws IOException {
        Set<String> keep = new HashSet<>();
        for (String json : chatFiles) {
            String[] parts = json.split("/");
            keep.add(parts[1] + "/" + ChatRenderer.stem(parts[parts.length - 1]));
        }
        if (!Files.isDirectory(folder.root())) {
            return;
        }
        try (DirectoryStream<Path> organizations = Files.newDirectoryStream(folder.root(), path -> Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))) {
            for (Path organization : organizations) {
                String orgSlug = organization.getFileName().toString();
                if (ChatFileNamer.uuidOf(orgSlug).isEmpty()) {
                    continue; // assets/
                }
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(organization)) {
                    for (Path entry : entries) {
                        String name = entry.getFileName().toString();
                        String stem = name.endsWith(".html") ? name.substring(0, name.length() - 5)
                                : name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
                        if (ChatFileNamer.uuidOf(stem).isPresent() && !keep.contains(orgSlug + "/" + stem)) {
                            folder.delete(entry);
                        }
                    }
                }
                Path projects = organization.resolve(Projects.PROJECTS);
                if (Files.isDirectory(projects, LinkOption.NOFOLLOW_LINKS)) {
                    try (DirectoryStream<Path> entries = Files.newDirectoryStream(projects)) {
                        for (Path entry : entries) {
                            String slug = entry.getFileName().toString();
                            if (ChatFileNamer.uuidOf(slug).isPresent() && !projectFolders.contains(orgSlug + "/" + slug)) {
                                folder.delete(entry);
                            }
                        }
                    }
                }
            }
        }
    }
}
