package dev.claudebackup.readable;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.mustachejava.Mustache;

import dev.claudebackup.api.ApiTimestamps;
import dev.claudebackup.store.ChatFileNamer;

/**
 * One chat's readable copy, from its JSON read once: {@code <ChatSlug>.md}, {@code <ChatSlug>.html}
 * and {@code <ChatSlug>/artifacts/}, in {@code readable/<OrgSlug>/} (written, while the organization's
 * first copy is made, in its staging folder: {@link ReadableFolder#pages}).
 */
final class ChatRenderer {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final Pattern BACKTICKS = Pattern.compile("`+");
    private static final Pattern CONTROLS = Pattern.compile("[\\r\\n\\t\\p{Cntrl}]+");

    /**
     * A chat whose JSON is larger is shown by its head only, with a note: its tree, its Markdown and its
     * page at once took more than a 256 MB heap for a 100 MB chat (and the out-of-memory exit stopped the
     * whole backup, at every run). The JSON is kept whole; only the readable copy leaves it out.
     */
    static final long RENDERED_AT_MOST = 8L * 1024 * 1024;

    private final ReadableFolder folder;
    private final Markdown markdown;
    private final Mustache page;

    ChatRenderer(ReadableFolder folder, Markdown markdown, Mustache page) {
        this.folder = folder;
        this.markdown = markdown;
        this.page = page;
    }

    /**
     * A chat too large to render, read as a stream: its fields but {@code chat_messages} (skipped, left
     * empty), and its summary saying why and where the whole chat is.
     */
    private JsonNode headOnly(InputStream in, long size, Path jsonFile) throws IOException {
        ObjectNode head = MAPPER.createObjectNode();
        int messages = 0;
        try (JsonParser parser = MAPPER.getFactory().createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("chat_messages") && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        parser.skipChildren();
                        messages++;
                    }
                } else {
                    head.set(field, parser.readValueAsTree());
                }
            }
        }
        head.putArray("chat_messages");
        String why = String.format(Locale.ROOT, "This chat (%d messages) is %.1f MB of JSON, too long to show here: read it in %s.",
                messages, size / 1048576.0, folder.backupRoot().relativize(jsonFile).toString().replace('\\', '/'));
        String summary = head.path("summary").asText("");
        head.put("summary", summary.isBlank() ? why : why + "\n\n" + summary);
        return head;
    }

    /**
     * Renders the chat in {@code organizations/<OrgSlug>/chat_conversations/<ChatSlug>.json}. A chat the
     * index has no row of ({@code renderedBefore} false) has no files here yet: none is looked for first
     * (three file system lookups per chat, 2 % of a full backup's CPU). If its row was lost, its files are
     * written again, the same.
     */
    ChatIndex.Row render(Source source, OrganizationNames organizations, boolean renderedBefore) throws IOException {
        Path jsonFile = source.json();
        long size = source.attributes().size();
        long modified = source.attributes().lastModifiedTime().toMillis();
        JsonNode chat;
        try (var in = Files.newInputStream(jsonFile)) {
            chat = size > RENDERED_AT_MOST ? headOnly(in, size, jsonFile) : MAPPER.readTree(in);
        }
        if (chat == null || !chat.isObject()) {
            throw new IOException("not a chat (no JSON object)");
        }
        String orgSlug = jsonFile.getParent().getParent().getFileName().toString();
        String chatSlug = stem(jsonFile.getFileName().toString());
        Path orgFolder = folder.resolve(orgSlug); // where the page is read: its links are made from here
        Path artifactsFolder = folder.page(orgSlug, chatSlug, "artifacts"); // where it is written (ReadableFolder.pages)
        Path htmlFile = folder.page(orgSlug, chatSlug + ".html");
        Path markdownFile = folder.page(orgSlug, chatSlug + ".md");

        ChatTree tree = new ChatTree(chat);
        Artifacts artifacts = new Artifacts(tree);
        OrganizationFiles files = new OrganizationFiles(folder.organizations().resolve(orgSlug).resolve("files"));
        String projectUuid = chat.path("project_uuid").asText("");
        Projects.Project project = organizations.project(orgSlug, projectUuid);

        if (!artifacts.all().isEmpty() || renderedBefore && artifactsFolder.getParent().toFile().exists()) { // most chats never had any
            folder.delete(artifactsFolder); // versions of an earlier rendering that this one may no longer make
        }
        for (Artifacts.Artifact artifact : artifacts.all()) {
            for (int version = 1; version <= artifact.contents.size(); version++) {
                folder.write(folder.page(orgSlug, chatSlug, "artifacts", artifact.fileName(version)), artifact.contents.get(version - 1));
            }
        }

        String name = chat.path("name").asText("");
        String uuid = chat.path("uuid").asText(ChatFileNamer.uuidOf(chatSlug).orElse(""));
        List<View.Branch> branches = new ArrayList<>();
        StringBuilder md = new StringBuilder();
        View.Link projectLink = project == null ? null
                : new View.Link(project.name(), "../index.html#project-" + project.uuid());
        head(md, chat, name, uuid, project);
        for (ChatTree.Branch branch : tree.branches()) {
            List<View.Message> messages = new ArrayList<>();
            String title = branch.number() == 1 ? "The conversation" : "Branch " + branch.number();
            String forkNote = forkNote(tree, branch);
            md.append("\n## ").append(title).append("\n\n");
            if (forkNote != null) {
                md.append('*').append(forkNote).append("*\n\n");
            }
            for (JsonNode message : branch.messages()) {
                messages.add(message(md, tree, message, artifacts, files, orgFolder, chatSlug));
            }
            branches.add(new View.Branch(branch.number(), title, forkNote, "branch-" + branch.number(), messages));
        }

        View.Chat view = new View.Chat(name.isBlank() ? "(no name)" : name, uuid,
                ChatFileNamer.isCanonicalUuid(uuid) ? "https://claude.ai/chat/" + uuid : null,
                shown(chat.path("created_at").asText("")), shown(chat.path("updated_at").asText("")),
                chat.path("model").asText(""), projectLink, chat.path("is_starred").asBoolean(false), tree.messageCount(),
                chat.path("summary").asText(""), organizations.name(orgSlug),
                ReadableFolder.encodePath(chatSlug + ".md"), branches, branches.size() > 1);
        StringWriter html = new StringWriter();
        page.execute(html, view);
        folder.write(markdownFile, md.toString(), renderedBefore);
        folder.write(htmlFile, html.toString(), renderedBefore);

        String projectName = project == null ? "" : project.name();
        return new ChatIndex.Row(folder.backupRoot().relativize(jsonFile).toString().replace('\\', '/'), modified, size,
                uuid, view.name(), organizations.name(orgSlug), projectName, project == null ? projectUuid : project.uuid(),
                chat.path("updated_at").asText(""), view.model(), view.starred(), tree.messageCount(), view.summary(),
                ReadableFolder.encodePath(orgSlug + "/" + chatSlug + ".html"));
    }

    /** A chat's JSON file, its path from the backup folder, and its attributes as they were read before it. */
    record Source(Path json, String relative, BasicFileAttributes attributes) {
    }

    /** The chat's readable files: for a renamed or deleted chat. */
    void remove(String orgSlug, String chatSlug) throws IOException {
        folder.delete(folder.resolve(orgSlug, chatSlug + ".html"));
        folder.delete(folder.resolve(orgSlug, chatSlug + ".md"));
        folder.delete(folder.resolve(orgSlug, chatSlug));
    }

    static String stem(String fileName) {
        return fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
    }

    private void head(StringBuilder md, JsonNode chat, String name, String uuid, Projects.Project project) {
        md.append("# ").append(oneLine(name.isBlank() ? "(no name)" : name)).append("\n\n");
        if (ChatFileNamer.isCanonicalUuid(uuid)) {
            md.append("- On claude.ai: https://claude.ai/chat/").append(uuid).append('\n');
        }
        md.append("- Created: ").append(shown(chat.path("created_at").asText(""))).append('\n');
        md.append("- Updated: ").append(shown(chat.path("updated_at").asText(""))).append('\n');
        if (!chat.path("model").asText("").isEmpty()) {
            md.append("- Model: ").append(oneLine(chat.path("model").asText())).append('\n');
        }
        if (project != null) {
            md.append("- Project: ").append(oneLine(project.name())).append('\n');
        }
        if (chat.path("is_starred").asBoolean(false)) {
            md.append("- Starred\n");
        }
        if (!chat.path("summary").asText("").isBlank()) {
            md.append("\n").append(chat.path("summary").asText().strip()).append('\n');
        }
    }

    private static String forkNote(ChatTree tree, ChatTree.Branch branch) {
        if (branch.number() == 1) {
            return null;
        }
        if (branch.forksAfter() == null) {
            return "Another start of the conversation (an edited first message).";
        }
        JsonNode after = branch.forksAfter();
        return "Forks after message " + tree.depth(after) + " (" + who(after) + ": \u201c" + preview(textOf(after)) + "\u201d).";
    }

    private View.Message message(StringBuilder md, ChatTree tree, JsonNode message, Artifacts artifacts,
                                 OrganizationFiles files, Path orgFolder, String chatSlug) throws IOException {
        String uuid = ChatTree.uuid(message);
        String when = shown(message.path("created_at").asText(""));
        md.append("### ").append(tree.depth(message)).append(". ").append(who(message));
        if (!when.isEmpty()) {
            md.append(" \u00b7 ").append(when);
        }
        md.append("\n\n");
        List<View.Part> parts = new ArrayList<>();
        boolean typed = "human".equals(message.path("sender").asText(""));
        JsonNode content = message.path("content");
        boolean hasContent = content.isArray() && !content.isEmpty();
        if (!hasContent) {
            text(md, parts, message.path("text").asText(""), artifacts.tags(uuid, -1), chatSlug, typed);
        }
        int block = 0;
        for (JsonNode item : content) {
            block(md, parts, item, uuid, block++, artifacts, files, orgFolder, chatSlug, typed);
        }
        for (JsonNode attachment : message.path("attachments")) {
            String fileName = attachment.path("file_name").asText("attachment");
            String extracted = attachment.path("extracted_content").asText("");
            parts.add(View.Part.attachment(new View.Attachment(fileName, extracted)));
            md.append("**Attached: ").append(oneLine(fileName)).append("**\n\n").append(fenced(extracted, "")).append('\n');
        }
        List<String> seen = new ArrayList<>();
        for (String field : List.of("files_v2", "files")) {
            for (JsonNode file : message.path(field)) {
                String fileUuid = file.path("file_uuid").asText(file.path("uuid").asText(""));
                if (seen.contains(fileUuid) && !fileUuid.isEmpty()) {
                    continue;
                }
                seen.add(fileUuid);
                View.File shown = file(files, orgFolder, fileUuid, file.path("file_name").asText("file"),
                        "image".equals(file.path("file_kind").asText("")));
                parts.add(View.Part.file(shown));
                md.append(shown.image() ? "!" : "").append('[').append(linkText(shown.name())).append("](")
                        .append(shown.href() == null ? "#" : "<" + mdPath(shown.href()) + ">").append(")\n\n");
            }
        }
        return new View.Message(uuid, tree.parentOf(message), message.path("sender").asText(""), who(message), when,
                tree.depth(message), message.path("index").asInt(0), parts);
    }

    private void block(StringBuilder md, List<View.Part> parts, JsonNode item, String messageUuid, int block,
                       Artifacts artifacts, OrganizationFiles files, Path orgFolder, String chatSlug, boolean typed) throws IOException {
        String type = item.path("type").asText("");
        switch (type) {
            case "text" -> {
                text(md, parts, item.path("text").asText(""), artifacts.tags(messageUuid, block), chatSlug, typed);
                List<View.Link> citations = new ArrayList<>();
                for (JsonNode citation : item.path("citations")) {
                    String url = citation.path("url").asText(citation.path("details").path("url").asText(""));
                    if (!url.isEmpty() && Markdown.isHttpOrRelative(url) && url.contains(":")) {
                        citations.add(new View.Link(citation.path("title").asText(url), url));
                    }
                }
                if (!citations.isEmpty()) {
                    parts.add(View.Part.citations(citations));
                    md.append("Sources:\n");
                    citations.forEach(link -> md.append("- [").append(linkText(link.title())).append("](<").append(mdPath(link.href())).append(">)\n"));
                    md.append('\n');
                }
            }
            case "thinking" -> {
                String thinking = item.path("thinking").asText("");
                parts.add(View.Part.thinking(markdown.toHtml(thinking)));
                md.append("<details><summary>Thinking</summary>\n\n").append(fenced(thinking, "")).append("\n</details>\n\n");
            }
            case "tool_use" -> {
                String name = item.path("name").asText("tool");
                Artifacts.Version version = artifacts.at(messageUuid, block);
                if (version != null) {
                    artifactPart(md, parts, version, chatSlug);
                    return;
                }
                JsonNode input = item.path("input");
                String summary = input.path("query").asText(input.path("url").asText(input.path("description").asText("")));
                String json = pretty(input);
                parts.add(View.Part.tool(new View.Tool(name, summary, json)));
                md.append("<details><summary>Tool: ").append(oneLine(name)).append(summary.isEmpty() ? "" : " \u2014 " + oneLine(summary))
                        .append("</summary>\n\n").append(fenced(json, "json")).append("\n</details>\n\n");
            }
            case "tool_result" -> {
                StringBuilder text = new StringBuilder();
                List<View.Link> links = new ArrayList<>();
                List<View.File> images = new ArrayList<>();
                JsonNode result = item.path("content");
                if (result.isTextual()) {
                    text.append(result.asText());
                }
                for (JsonNode piece : result) {
                    switch (piece.path("type").asText("")) {
                        case "text" -> text.append(piece.path("text").asText("")).append('\n');
                        case "knowledge" -> {
                            String url = piece.path("url").asText("");
                            String title = piece.path("title").asText(url);
                            if (url.contains(":") && Markdown.isHttpOrRelative(url)) {
                                links.add(new View.Link(title, url));
                            } else {
                                text.append(title).append('\n');
                            }
                        }
                        case "image" -> images.add(file(files, orgFolder, piece.path("file_uuid").asText(""), "image", true));
                        default -> text.append(pretty(piece)).append('\n');
                    }
                }
                String name = item.path("name").asText("");
                boolean error = item.path("is_error").asBoolean(false);
                parts.add(View.Part.result(new View.Result(name, error, text.toString().strip(), links, images)));
                md.append("<details><summary>").append(error ? "Tool error" : "Tool result").append(name.isEmpty() ? "" : ": " + oneLine(name))
                        .append("</summary>\n\n").append(fenced(text.toString().strip(), ""));
                links.forEach(link -> md.append("- [").append(linkText(link.title())).append("](<").append(mdPath(link.href())).append(">)\n"));
                md.append("\n</details>\n\n");
            }
            case "token_budget" -> {
                // bookkeeping of the model, nothing to read
            }
            default -> {
                String json = pretty(item);
                parts.add(View.Part.other(new View.Other(type, json)));
                md.append("<details><summary>").append(oneLine(type.isEmpty() ? "block" : type)).append("</summary>\n\n")
                        .append(fenced(json, "json")).append("\n</details>\n\n");
            }
        }
    }

    /**
     * A message's text, with each {@code <antArtifact>} tag in it replaced by a link to the version it holds:
     * Claude's as Markdown, a person's ({@code typed}) as they typed it.
     */
    private void text(StringBuilder md, List<View.Part> parts, String text, List<Artifacts.Tag> tags, String chatSlug, boolean typed) {
        int from = 0;
        for (Artifacts.Tag tag : tags) {
            textPart(md, parts, text.substring(from, tag.start()), typed);
            artifactPart(md, parts, tag.version(), chatSlug);
            from = tag.end();
        }
        textPart(md, parts, text.substring(from), typed);
    }

    private void textPart(StringBuilder md, List<View.Part> parts, String text, boolean typed) {
        if (text.isBlank()) {
            return;
        }
        parts.add(typed ? View.Part.typed(text.strip()) : View.Part.markdown(markdown.toHtml(text)));
        md.append(text.strip()).append("\n\n");
    }

    private static void artifactPart(StringBuilder md, List<View.Part> parts, Artifacts.Version version, String chatSlug) {
        String fileName = version.fileName();
        String href = ReadableFolder.encodePath(chatSlug + "/artifacts/" + fileName);
        int versions = version.artifact().contents.size();
        parts.add(View.Part.artifact(new View.Artifact(version.artifact().title(), href, version.number(), versions, fileName)));
        md.append("**Artifact: [").append(linkText(version.artifact().title())).append("](<").append(mdPath(href)).append(">)**")
                .append(versions > 1 ? " (version " + version.number() + " of " + versions + ")" : "").append("\n\n");
    }

    private View.File file(OrganizationFiles files, Path orgFolder, String fileUuid, String name, boolean image) {
        Path found = files.find(fileUuid);
        String href = found == null ? null : ReadableFolder.link(orgFolder, found);
        return new View.File(name, href, image && found != null);
    }

    private static String pretty(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }

    static String who(JsonNode message) {
        return switch (message.path("sender").asText("")) {
            case "human" -> "You";
            case "assistant" -> "Claude";
            default -> message.path("sender").asText("?");
        };
    }

    private static String textOf(JsonNode message) {
        StringBuilder text = new StringBuilder(message.path("text").asText(""));
        for (JsonNode item : message.path("content")) {
            if ("text".equals(item.path("type").asText())) {
                text.append(item.path("text").asText(""));
            }
        }
        return text.toString();
    }

    private static String preview(String text) {
        String line = oneLine(text).strip();
        return line.length() > 80 ? line.substring(0, 79) + "\u2026" : line;
    }

    static String shown(String timestamp) {
        // the common case, shown without java.time (ApiTimestamps): the same text SHOWN would make
        if (ApiTimestamps.isPlainUtc(timestamp)) {
            return timestamp.substring(0, 10) + " " + timestamp.substring(11, 16) + " UTC";
        }
        try {
            return SHOWN.format(Instant.parse(timestamp));
        } catch (DateTimeParseException e) {
            return timestamp;
        }
    }

    private static String oneLine(String text) {
        return CONTROLS.matcher(text).replaceAll(" "); // compiled once: String.replaceAll compiled it at every name
    }

    /** Text inside a Markdown link's brackets: brackets and backslashes would end or bend it. */
    private static String linkText(String text) {
        return oneLine(text).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]");
    }

    /** A destination inside {@code <...>}: no angle brackets or line breaks in it. */
    private static String mdPath(String href) {
        return oneLine(href).replace("<", "%3C").replace(">", "%3E");
    }

    /** A fenced block whose fence is longer than any run of backticks inside. */
    static String fenced(String text, String info) {
        int longest = 2;
        Matcher matcher = BACKTICKS.matcher(text);
        while (matcher.find()) {
            longest = Math.max(longest, matcher.group().length());
        }
        String fence = "`".repeat(longest + 1);
        return fence + info + "\n" + text + (text.endsWith("\n") ? "" : "\n") + fence + "\n";
    }
}
