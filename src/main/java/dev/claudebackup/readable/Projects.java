package dev.claudebackup.readable;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.claudebackup.store.ChatFileNamer;

/**
 * Projects, as the projects branch saves them ({@code organizations/<OrgSlug>/projects/<ProjectSlug>/}
 * project.json, docs.json, memory.json), made readable in {@code readable/<OrgSlug>/projects/<ProjectSlug>/}:
 * instructions.md, docs/&lt;file name&gt;, memory.md.
 */
final class Projects {

    static final String PROJECTS = "projects";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A project of an organization, and where its readable files are, relative to readable/. */
    record Project(String uuid, String name, String description, String orgSlug, String slug, List<Doc> docs,
                   String instructions, String memory) {
    }

    record Doc(String name, String href) {
    }

    private final ReadableFolder folder;

    Projects(ReadableFolder folder) {
        this.folder = folder;
    }

    /** The project folders of an organization in the backup. */
    List<Path> sourceFolders(String orgSlug) throws IOException {
        Path projects = folder.organizations().resolve(orgSlug).resolve(PROJECTS);
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(projects)) {
            try (DirectoryStream<Path> folders = Files.newDirectoryStream(projects)) {
                for (Path project : folders) {
                    if (Files.isRegularFile(project.resolve("project.json"))) {
                        found.add(project);
                    }
                }
            }
        }
        return found;
    }

    /** Name, description and uuid from project.json; null when unreadable. */
    Project describe(Path sourceFolder) {
        String orgSlug = sourceFolder.getParent().getParent().getFileName().toString();
        String slug = sourceFolder.getFileName().toString();
        try {
            JsonNode project = MAPPER.readTree(sourceFolder.resolve("project.json").toFile());
            String uuid = project.path("uuid").asText(ChatFileNamer.uuidOf(slug).orElse(""));
            List<Doc> docs = new ArrayList<>();
            Path readableDocs = folder.resolve(orgSlug, PROJECTS, slug, "docs");
            if (Files.isDirectory(readableDocs)) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(readableDocs)) {
                    for (Path doc : files) {
                        docs.add(new Doc(doc.getFileName().toString(), link(orgSlug, slug, "docs", doc.getFileName().toString())));
                    }
                }
            }
            docs.sort((a, b) -> a.name().compareToIgnoreCase(b.name()));
            boolean memory = Files.exists(folder.resolve(orgSlug, PROJECTS, slug, "memory.md"));
            return new Project(uuid, project.path("name").asText(""), project.path("description").asText(""), orgSlug, slug,
                    docs, link(orgSlug, slug, "instructions.md"), memory ? link(orgSlug, slug, "memory.md") : null);
        } catch (IOException e) {
            return null;
        }
    }

    private static String link(String orgSlug, String slug, String... rest) {
        return ReadableFolder.encodePath(orgSlug + "/" + PROJECTS + "/" + slug + "/" + String.join("/", rest));
    }

    /** Whether the readable copy is older than any of the project's JSON files (or missing). */
    boolean stale(Path sourceFolder) throws IOException {
        String orgSlug = sourceFolder.getParent().getParent().getFileName().toString();
        Path instructions = folder.resolve(orgSlug, PROJECTS, sourceFolder.getFileName().toString(), "instructions.md");
        if (!Files.exists(instructions)) {
            return true;
        }
        FileTime rendered = Files.getLastModifiedTime(instructions);
        for (String file : List.of("project.json", "docs.json", "memory.json")) {
            Path source = sourceFolder.resolve(file);
            if (Files.exists(source) && Files.getLastModifiedTime(source).compareTo(rendered) > 0) {
                return true;
            }
        }
        return false;
    }

    /** Writes instructions.md, docs/ and memory.md anew from the project's folder in the backup. */
    void render(Path sourceFolder) throws IOException {
        String orgSlug = sourceFolder.getParent().getParent().getFileName().toString();
        String slug = sourceFolder.getFileName().toString();
        Path target = folder.resolve(orgSlug, PROJECTS, slug);
        JsonNode project = MAPPER.readTree(sourceFolder.resolve("project.json").toFile());
        String name = project.path("name").asText("");
        StringBuilder instructions = new StringBuilder("# ").append(name.isBlank() ? "(no name)" : name.replaceAll("\\s+", " "))
                .append("\n\n");
        if (!project.path("description").asText("").isBlank()) {
            instructions.append(project.path("description").asText().strip()).append("\n\n");
        }
        instructions.append("## Instructions\n\n");
        String prompt = project.path("prompt_template").asText("");
        instructions.append(prompt.isBlank() ? "(none)" : prompt.strip()).append('\n');

        folder.delete(target.resolve("docs"));
        Path docsJson = sourceFolder.resolve("docs.json");
        if (Files.isRegularFile(docsJson)) {
            JsonNode docs = MAPPER.readTree(docsJson.toFile());
            Set<String> taken = new HashSet<>();
            for (JsonNode doc : docs.isArray() ? docs : docs.path("data")) {
                String fileName = ReadableFolder.safeName(doc.path("file_name").asText(doc.path("filename").asText("")), "document.txt");
                String unique = fileName;
                for (int n = 2; !taken.add(ReadableFolder.lower(unique)); n++) {
                    int dot = fileName.lastIndexOf('.');
                    unique = dot > 0 ? fileName.substring(0, dot) + "-" + n + fileName.substring(dot) : fileName + "-" + n;
                }
                folder.write(folder.resolve(orgSlug, PROJECTS, slug, "docs", unique), doc.path("content").asText(""));
            }
        }
        Path memoryJson = sourceFolder.resolve("memory.json");
        Path memoryFile = target.resolve("memory.md");
        if (Files.isRegularFile(memoryJson)) {
            JsonNode memory = MAPPER.readTree(memoryJson.toFile());
            folder.write(memoryFile, "# Memory of " + (name.isBlank() ? "(no name)" : name.replaceAll("\\s+", " ")) + "\n\n"
                    + memory.path("memory").asText("").strip() + "\n");
        } else {
            folder.delete(memoryFile);
        }
        folder.write(target.resolve("instructions.md"), instructions.toString());
    }

    void remove(String orgSlug, String slug) throws IOException {
        folder.delete(folder.resolve(orgSlug, PROJECTS, slug));
    }
}
