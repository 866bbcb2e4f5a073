package dev.claudebackup.readable;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.claudebackup.store.ChatFileNamer;

/**
 * A backup folder made by hand, as the core, the projects branch and the files branch lay it out
 * (CONTRACTS.md points 3 and 4): account.json, one organization with a rich chat (branches, thinking,
 * tools, citations, an attachment, an image, artifacts of every kind), a hostile chat, a project.
 */
final class ReadableFixture {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String ROOT_PARENT = "00000000-0000-4000-8000-000000000000";
    static final String HOSTILE_NAME = "<img src=x onerror=window.__pwned=1>";
    /** A person's message that Markdown would change: shown as typed. */
    static final String TYPED_QUESTION = "Plan my garden:\n#include <beds>\n  my_bed_size * 2 = **big**";

    final Path backup;
    final String orgUuid = UUID.randomUUID().toString();
    final String orgSlug = ChatFileNamer.slug("Personal", orgUuid);
    final String projectUuid = UUID.randomUUID().toString();
    final String projectSlug = ChatFileNamer.slug("Garden planner", projectUuid);
    final String imageUuid = UUID.randomUUID().toString();
    final String missingImageUuid = UUID.randomUUID().toString();

    /** The rich chat. */
    final String richUuid = UUID.randomUUID().toString();
    final String richName = "Branches, tools & artifacts";
    /** Messages of the rich chat: the first answer and its retry, the edited second question. */
    String firstAnswer;
    String retriedAnswer;
    String hostileUuid = UUID.randomUUID().toString();

    ReadableFixture(Path backup) throws IOException {
        this.backup = backup;
        ObjectNode account = MAPPER.createObjectNode();
        account.put("uuid", UUID.randomUUID().toString());
        ObjectNode organization = account.putArray("memberships").addObject().putObject("organization");
        organization.put("uuid", orgUuid);
        organization.put("name", "Personal");
        organization.putArray("capabilities").add("chat");
        write("account.json", account);
        writeImage();
        writeProject();
        writeRichChat();
        writeHostileChat();
    }

    Path chatsFolder() {
        return backup.resolve("organizations").resolve(orgSlug).resolve("chat_conversations");
    }

    Path chatJson(String name, String uuid) {
        return chatsFolder().resolve(ChatFileNamer.jsonFileName(name, uuid));
    }

    Path readable() {
        return backup.resolve("readable");
    }

    Path page(String name, String uuid) {
        return readable().resolve(orgSlug).resolve(ChatFileNamer.slug(name, uuid) + ".html");
    }

    Path markdown(String name, String uuid) {
        return readable().resolve(orgSlug).resolve(ChatFileNamer.slug(name, uuid) + ".md");
    }

    Path artifacts(String name, String uuid) {
        return readable().resolve(orgSlug).resolve(ChatFileNamer.slug(name, uuid)).resolve("artifacts");
    }

    /** A chat of plain turns, with a retried first answer when {@code branched}. */
    Path plainChat(String name, String uuid, int turns, boolean branched, String updatedAt) throws IOException {
        ObjectNode chat = chat(uuid, name, updatedAt);
        ArrayNode messages = chat.putArray("chat_messages");
        String parent = ROOT_PARENT;
        for (int turn = 1; turn <= turns; turn++) {
            String human = message(messages, parent, "human", "Question " + turn + " of " + name);
            parent = message(messages, human, "assistant", "Answer " + turn + " of " + name);
            if (branched && turn == 1) {
                message(messages, human, "assistant", "Retried answer of " + name);
            }
        }
        chat.put("current_leaf_message_uuid", parent);
        Path file = chatJson(name, uuid);
        write(backup.relativize(file).toString(), chat);
        return file;
    }

    private void writeRichChat() throws IOException {
        ObjectNode chat = chat(richUuid, richName, "2025-06-02T10:00:00.000000Z");
        chat.put("project_uuid", projectUuid);
        chat.put("is_starred", true);
        chat.put("summary", "A chat about a garden with every kind of block");
        ArrayNode messages = chat.putArray("chat_messages");

        String q1 = message(messages, ROOT_PARENT, "human", TYPED_QUESTION);
        ObjectNode q1Node = (ObjectNode) messages.get(messages.size() - 1);
        q1Node.withArray("attachments").addObject().put("file_name", "notes.txt").put("extracted_content", "Pasted notes: tomatoes and basil");
        ObjectNode image = q1Node.withArray("files_v2").addObject();
        image.put("file_kind", "image").put("file_uuid", imageUuid).put("file_name", "garden.png");
        ObjectNode missing = q1Node.withArray("files_v2").addObject();
        missing.put("file_kind", "image").put("file_uuid", missingImageUuid).put("file_name", "lost.png");

        // The first answer: thinking, a web search with results and citations, an artifact created then updated.
        firstAnswer = message(messages, q1, "assistant", null);
        ArrayNode content = ((ObjectNode) messages.get(messages.size() - 1)).putArray("content");
        content.addObject().put("type", "thinking").put("thinking", "Thinking about soil and sun");
        ObjectNode search = content.addObject().put("type", "tool_use").put("id", "toolu_1").put("name", "web_search");
        search.putObject("input").put("query", "companion planting tomatoes");
        ObjectNode result = content.addObject().put("type", "tool_result").put("tool_use_id", "toolu_1").put("name", "web_search");
        result.putArray("content").addObject().put("type", "knowledge").put("title", "Companion planting guide")
                .put("url", "https://example.org/companions");
        ObjectNode text = content.addObject().put("type", "text")
                .put("text", "Tomatoes like **basil**, see [the docs](https://example.com/garden) and [bad](javascript:window.__pwned=3)");
        text.putArray("citations").addObject().put("url", "https://example.org/companions").put("title", "Companion planting guide");
        artifact(content, "create", "garden-plan", "Garden plan", "application/vnd.ant.code", "python",
                "def plan():\n    return 'tomatoes'\n", null, null);
        artifact(content, "update", "garden-plan", null, null, null, null, "'tomatoes'", "'tomatoes and basil'");
        content.addObject().put("type", "text").put("text", "Here is the plan.");

        // The retried first answer: an old-style <antArtifact> tag, and an HTML artifact.
        retriedAnswer = message(messages, q1, "assistant", null);
        ArrayNode retried = ((ObjectNode) messages.get(messages.size() - 1)).putArray("content");
        retried.addObject().put("type", "text").put("text", "Retried answer with a tag:\n<antArtifact identifier=\"old-notes\" "
                + "type=\"text/markdown\" title=\"Old notes\">\n# Notes\nWater daily\n</antArtifact>\nThat was the tag.");
        artifact(retried, "create", "page", "A page", "text/html", null,
                "<html><body><script>window.__pwned=4</script>Hello</body></html>", null, null);

        // The second turn, on the first answer: the artifact rewritten; files made and edited.
        String q2 = message(messages, firstAnswer, "human", "Now rewrite it <script>window.__pwned=2</script>");
        String a2 = message(messages, q2, "assistant", null);
        ArrayNode second = ((ObjectNode) messages.get(messages.size() - 1)).putArray("content");
        artifact(second, "rewrite", "garden-plan", "Garden plan", "application/vnd.ant.code", "python",
                "def plan():\n    return ['tomatoes', 'basil', 'marigolds']\n", null, null);
        ObjectNode create = second.addObject().put("type", "tool_use").put("id", "toolu_f1").put("name", "create_file");
        create.putObject("input").put("path", "/mnt/user-data/outputs/beds.csv").put("file_text", "bed,plant\n1,tomato\n");
        ObjectNode replace = second.addObject().put("type", "tool_use").put("id", "toolu_f2").put("name", "str_replace");
        replace.putObject("input").put("path", "/mnt/user-data/outputs/beds.csv").put("old_str", "1,tomato").put("new_str", "1,tomato\n2,basil");
        ObjectNode escape = second.addObject().put("type", "tool_use").put("id", "toolu_f3").put("name", "create_file");
        escape.putObject("input").put("path", "../../../../outside.txt").put("file_text", "must stay inside readable/");
        second.addObject().put("type", "text").put("text", "| plant | bed |\n| --- | --- |\n| tomato | 1 |\n\n~~weeds~~ www.example.net");
        chat.put("current_leaf_message_uuid", a2);
        write(backup.relativize(chatJson(richName, richUuid)).toString(), chat);
    }

    private void writeHostileChat() throws IOException {
        ObjectNode chat = chat(hostileUuid, HOSTILE_NAME, "2025-06-03T10:00:00.000000Z");
        chat.put("summary", "<script>window.__pwned=5</script>");
        ArrayNode messages = chat.putArray("chat_messages");
        String q = message(messages, ROOT_PARENT, "human", "<script>window.__pwned=6</script><img src=x onerror=\"window.__pwned=7\">");
        chat.put("current_leaf_message_uuid", message(messages, q, "assistant", "<b>bold?</b> <iframe src=\"javascript:window.__pwned=8\"></iframe>"));
        write(backup.relativize(chatJson(HOSTILE_NAME, hostileUuid)).toString(), chat);
    }

    private void writeProject() throws IOException {
        String folder = "organizations/" + orgSlug + "/projects/" + projectSlug + "/";
        ObjectNode project = MAPPER.createObjectNode();
        project.put("uuid", projectUuid);
        project.put("name", "Garden planner");
        project.put("description", "Everything about the garden");
        project.put("prompt_template", "Always answer as a gardener.");
        write(folder + "project.json", project);
        ArrayNode docs = MAPPER.createArrayNode();
        docs.addObject().put("uuid", UUID.randomUUID().toString()).put("file_name", "soil.md").put("content", "# Soil\nLoamy");
        docs.addObject().put("uuid", UUID.randomUUID().toString()).put("file_name", "../../escape.txt").put("content", "stays inside");
        write(folder + "docs.json", docs);
        write(folder + "files.json", MAPPER.createArrayNode());
        write(folder + "memory.json", MAPPER.createObjectNode().put("memory", "The user grows tomatoes."));
    }

    private void writeImage() throws IOException {
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(new Color(40, 160, 60));
        graphics.fillRect(0, 0, 40, 30);
        graphics.dispose();
        Path file = backup.resolve("organizations").resolve(orgSlug).resolve("files").resolve("garden-" + imageUuid + ".png");
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    static void artifact(ArrayNode content, String command, String id, String title, String type, String language,
                                 String body, String oldText, String newText) {
        ObjectNode use = content.addObject().put("type", "tool_use").put("id", "toolu_" + UUID.randomUUID()).put("name", "artifacts");
        ObjectNode input = use.putObject("input").put("id", id).put("command", command);
        if (title != null) {
            input.put("title", title);
        }
        if (type != null) {
            input.put("type", type);
        }
        if (language != null) {
            input.put("language", language);
        }
        if (body != null) {
            input.put("content", body);
        }
        if (oldText != null) {
            input.put("old_str", oldText).put("new_str", newText);
        }
    }

    static ObjectNode chat(String uuid, String name, String updatedAt) {
        ObjectNode chat = MAPPER.createObjectNode();
        chat.put("uuid", uuid);
        chat.put("name", name);
        chat.put("summary", "");
        chat.put("model", "claude-sonnet-4-5-20250929");
        chat.put("created_at", "2025-06-01T09:00:00.000000Z");
        chat.put("updated_at", updatedAt);
        chat.put("is_starred", false);
        chat.putNull("project_uuid");
        return chat;
    }

    /** Adds a message; with text, one text block. Returns its uuid. */
    static String message(ArrayNode messages, String parent, String sender, String text) {
        ObjectNode message = messages.addObject();
        String uuid = UUID.randomUUID().toString();
        message.put("uuid", uuid);
        message.put("index", messages.size() - 1);
        message.put("sender", sender);
        message.put("parent_message_uuid", parent);
        message.put("text", "");
        message.put("created_at", "2025-06-01T09:0" + Math.min(9, messages.size()) + ":00.000000Z");
        if (text != null) {
            message.putArray("content").addObject().put("type", "text").put("text", text).putArray("citations");
        }
        message.putArray("attachments");
        message.putArray("files");
        message.putArray("files_v2");
        return uuid;
    }

    void write(String relative, Object json) throws IOException {
        Path file = backup.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, MAPPER.writeValueAsBytes(json));
    }
}
