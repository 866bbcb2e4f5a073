package dev.claudebackup.readable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A chat's artifacts and files, rebuilt version by version in the order the messages were written:
 * the {@code artifacts} tool's {@code create}/{@code rewrite} give the whole content and {@code update}
 * replaces {@code old_str} with {@code new_str} in the version before; {@code create_file} and
 * {@code str_replace} do the same for a file by its path; older chats carry whole versions in
 * {@code <antArtifact>} tags in their text. The last version is {@code <slug>.<ext>}, earlier ones
 * {@code <slug>-v1.<ext>}, {@code <slug>-v2.<ext>}...
 */
final class Artifacts {

    /** One version, where a message made it. */
    record Version(Artifact artifact, int number) {
        String fileName() {
            return artifact.fileName(number);
        }

        boolean last() {
            return number == artifact.contents.size();
        }
    }

    /** An {@code <antArtifact>} tag's place in a text, and the version it holds. */
    record Tag(int start, int end, Version version) {
    }

    static final class Artifact {
        final String key;
        String title;
        String type = "";
        String language = "";
        final List<String> contents = new ArrayList<>();
        String stem;
        String extension;

        Artifact(String key) {
            this.key = key;
        }

        String fileName(int version) {
            return version == contents.size() ? stem + extension : stem + "-v" + version + extension;
        }

        String title() {
            return title;
        }
    }

    private static final Pattern TAG = Pattern.compile("<antArtifact\\b([^>]*)>(.*?)</antArtifact>", Pattern.DOTALL);
    private static final Pattern ATTRIBUTE = Pattern.compile("([\\w-]+)\\s*=\\s*\"([^\"]*)\"");
    private static final Map<String, String> BY_TYPE = Map.of(
            "text/markdown", ".md", "text/html", ".html", "image/svg+xml", ".svg",
            "application/vnd.ant.react", ".jsx", "application/vnd.ant.mermaid", ".mmd", "text/plain", ".txt");
    private static final Map<String, String> BY_LANGUAGE = Map.ofEntries(
            Map.entry("python", ".py"), Map.entry("javascript", ".js"), Map.entry("typescript", ".ts"),
            Map.entry("java", ".java"), Map.entry("c", ".c"), Map.entry("cpp", ".cpp"), Map.entry("c++", ".cpp"),
            Map.entry("csharp", ".cs"), Map.entry("c#", ".cs"), Map.entry("go", ".go"), Map.entry("rust", ".rs"),
            Map.entry("ruby", ".rb"), Map.entry("php", ".php"), Map.entry("bash", ".sh"), Map.entry("shell", ".sh"),
            Map.entry("sh", ".sh"), Map.entry("sql", ".sql"), Map.entry("html", ".html"), Map.entry("css", ".css"),
            Map.entry("json", ".json"), Map.entry("yaml", ".yaml"), Map.entry("kotlin", ".kt"), Map.entry("swift", ".swift"),
            Map.entry("r", ".r"), Map.entry("scala", ".scala"), Map.entry("jsx", ".jsx"), Map.entry("tsx", ".tsx"),
            Map.entry("markdown", ".md"), Map.entry("xml", ".xml"), Map.entry("lua", ".lua"), Map.entry("perl", ".pl"),
            Map.entry("haskell", ".hs"), Map.entry("powershell", ".ps1"), Map.entry("dart", ".dart"));

    private final Map<String, Artifact> byKey = new LinkedHashMap<>();
    private final Map<String, Version> byBlock = new HashMap<>();
    private final Map<String, List<Tag>> tagsByText = new HashMap<>();

    Artifacts(ChatTree tree) {
        for (JsonNode message : tree.chronological()) {
            String uuid = ChatTree.uuid(message);
            scanTags(uuid + "/text", message.path("text").asText(""));
            int block = 0;
            for (JsonNode content : message.path("content")) {
                String type = content.path("type").asText("");
                if (type.equals("text")) {
                    scanTags(uuid + "/" + block, content.path("text").asText(""));
                } else if (type.equals("tool_use")) {
                    Version version = toolUse(content.path("name").asText(""), content.path("input"));
                    if (version != null) {
                        byBlock.put(uuid + "/" + block, version);
                    }
                }
                block++;
            }
        }
        name();
    }

    List<Artifact> all() {
        return List.copyOf(byKey.values());
    }

    /** What the tool call at this block of this message made, if it made a version. */
    Version at(String messageUuid, int block) {
        return byBlock.get(messageUuid + "/" + block);
    }

    /** The tags in a message's {@code text} (block -1) or in one of its text blocks. */
    List<Tag> tags(String messageUuid, int block) {
        return tagsByText.getOrDefault(messageUuid + "/" + (block < 0 ? "text" : Integer.toString(block)), List.of());
    }

    private Version toolUse(String name, JsonNode input) {
        switch (name) {
            case "artifacts": {
                String id = input.path("id").asText("");
                String command = input.path("command").asText("");
                if (id.isEmpty()) {
                    return null;
                }
                Artifact artifact = byKey.computeIfAbsent("artifact:" + id, Artifact::new);
                describe(artifact, input.path("title").asText(""), input.path("type").asText(""),
                        input.path("language").asText(""), id);
                if (command.equals("update")) {
                    return add(artifact, replaced(artifact, input.path("old_str").asText(""), input.path("new_str").asText("")));
                }
                if (command.equals("create") || command.equals("rewrite") || input.has("content")) {
                    return add(artifact, input.path("content").asText(""));
                }
                return null;
            }
            case "create_file": {
                String path = input.path("path").asText("");
                if (path.isEmpty()) {
                    return null;
                }
                Artifact file = byKey.computeIfAbsent("file:" + path, Artifact::new);
                describe(file, fileName(path), "", "", fileName(path));
                return add(file, input.path("file_text").asText(""));
            }
            case "str_replace": {
                String path = input.path("path").asText("");
                if (path.isEmpty()) {
                    return null;
                }
                Artifact file = byKey.computeIfAbsent("file:" + path, Artifact::new);
                describe(file, fileName(path), "", "", fileName(path));
                return add(file, replaced(file, input.path("old_str").asText(""), input.path("new_str").asText("")));
            }
            default:
                return null;
        }
    }

    private void scanTags(String textKey, String text) {
        if (!text.contains("<antArtifact")) {
            return;
        }
        List<Tag> tags = new ArrayList<>();
        Matcher matcher = TAG.matcher(text);
        while (matcher.find()) {
            Map<String, String> attributes = new HashMap<>();
            Matcher attribute = ATTRIBUTE.matcher(matcher.group(1));
            while (attribute.find()) {
                attributes.put(attribute.group(1), attribute.group(2));
            }
            String id = attributes.getOrDefault("identifier", attributes.getOrDefault("title", "artifact"));
            Artifact artifact = byKey.computeIfAbsent("artifact:" + id, Artifact::new);
            describe(artifact, attributes.getOrDefault("title", ""), attributes.getOrDefault("type", ""),
                    attributes.getOrDefault("language", ""), id);
            String content = matcher.group(2);
            tags.add(new Tag(matcher.start(), matcher.end(), add(artifact, content.startsWith("\n") ? content.substring(1) : content)));
        }
        tagsByText.put(textKey, tags);
    }

    private static void describe(Artifact artifact, String title, String type, String language, String fallbackTitle) {
        if (!title.isBlank()) {
            artifact.title = title;
        } else if (artifact.title == null) {
            artifact.title = fallbackTitle;
        }
        if (!type.isBlank()) {
            artifact.type = type;
        }
        if (!language.isBlank()) {
            artifact.language = language;
        }
    }

    private static Version add(Artifact artifact, String content) {
        artifact.contents.add(content);
        return new Version(artifact, artifact.contents.size());
    }

    /** {@code update}: the first {@code old_str} of the version before becomes {@code new_str}. */
    private static String replaced(Artifact artifact, String oldText, String newText) {
        String previous = artifact.contents.isEmpty() ? "" : artifact.contents.get(artifact.contents.size() - 1);
        int at = oldText.isEmpty() ? -1 : previous.indexOf(oldText);
        return at < 0 ? previous : previous.substring(0, at) + newText + previous.substring(at + oldText.length());
    }

    private static String fileName(String path) {
        String trimmed = path.replaceAll("[/\\\\]+$", "");
        return trimmed.substring(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
    }

    /** Stems and extensions, once every version is known; two artifacts never share a file. */
    private void name() {
        Set<String> taken = new HashSet<>();
        for (Artifact artifact : byKey.values()) {
            String stem;
            String extension;
            if (artifact.key.startsWith("file:")) {
                String name = ReadableFolder.safeName(artifact.title, "file");
                int dot = name.lastIndexOf('.');
                stem = dot > 0 ? name.substring(0, dot) : name;
                extension = dot > 0 ? name.substring(dot) : "";
            } else {
                stem = ReadableFolder.safeName(artifact.key.substring("artifact:".length()), "artifact");
                extension = extension(artifact.type, artifact.language);
            }
            String unique = stem;
            for (int n = 2; !reserve(taken, unique, extension, artifact.contents.size()); n++) {
                unique = stem + "-" + n;
            }
            artifact.stem = unique;
            artifact.extension = extension;
        }
    }

    /** Takes the file names of all an artifact's versions ({@link Artifact#fileName}), or none when one is taken. */
    private static boolean reserve(Set<String> taken, String stem, String extension, int versions) {
        List<String> names = new ArrayList<>();
        names.add(ReadableFolder.lower(stem + extension));
        for (int version = 1; version < versions; version++) {
            names.add(ReadableFolder.lower(stem + "-v" + version + extension));
        }
        if (names.stream().anyMatch(taken::contains)) {
            return false;
        }
        taken.addAll(names);
        return true;
    }

    static String extension(String type, String language) {
        String lowerType = type.toLowerCase(Locale.ROOT);
        if (lowerType.equals("application/vnd.ant.code")) {
            return BY_LANGUAGE.getOrDefault(language.toLowerCase(Locale.ROOT).strip(), ".txt");
        }
        return BY_TYPE.getOrDefault(lowerType, ".txt");
    }
}
