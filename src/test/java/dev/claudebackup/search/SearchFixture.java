package dev.claudebackup.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.testing.BackupRunner;

/**
 * A backup made by the real command from the loopback API, of chats written for searching: each holds
 * words that are only in one place of it (a branch claude.ai does not show, a thinking block, a tool's
 * input or result, a pasted text), and {@code search} run as the command line runs it.
 */
final class SearchFixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROOT_PARENT = "00000000-0000-4000-8000-000000000000";

    final SampleAccount account = new SampleAccount();
    final SampleAccount.Organization main = account.addOrganization("Main", "chat", "claude_pro");
    final SampleAccount.Organization side = account.addOrganization("Side", "chat", "claude_team");
    final FakeClaudeApi api;
    final Path dir;

    SearchFixture(Path workDir) throws IOException {
        api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY);
        dir = workDir.resolve("backup");
    }

    /** A chat written as claude.ai would answer it. */
    static final class ChatJson {
        final ObjectNode json = JSON.createObjectNode();
        final ArrayNode messages;
        String last = ROOT_PARENT;

        ChatJson(String uuid, String name, String updatedAt) {
            json.put("uuid", uuid);
            json.put("name", name);
            json.put("summary", "");
            json.put("created_at", "2025-01-01T00:00:00.000000Z");
            json.put("updated_at", updatedAt);
            json.putNull("project_uuid");
            messages = json.putArray("chat_messages");
        }

        /** A message after {@code parent} (null: after the last one added) with these content blocks. */
        String message(String parent, String sender, ObjectNode... blocks) {
            ObjectNode message = messages.addObject();
            String uuid = UUID.randomUUID().toString();
            message.put("uuid", uuid);
            message.put("index", messages.size() - 1);
            message.put("sender", sender);
            message.put("parent_message_uuid", parent == null ? last : parent);
            message.put("text", "");
            ArrayNode content = message.putArray("content");
            for (ObjectNode block : blocks) {
                content.add(block);
            }
            message.put("created_at", json.path("updated_at").asText());
            message.putArray("attachments");
            message.putArray("files");
            message.putArray("files_v2");
            last = uuid;
            return uuid;
        }

        String text(String parent, String sender, String text) {
            return message(parent, sender, block("text", "text", text));
        }

        ObjectNode attachment(String message, String fileName, String extracted) {
            for (var node : messages) {
                if (node.path("uuid").asText().equals(message)) {
                    ObjectNode attachment = ((ArrayNode) node.path("attachments")).addObject();
                    attachment.put("id", UUID.randomUUID().toString());
                    attachment.put("file_name", fileName);
                    attachment.put("extracted_content", extracted);
                    return attachment;
                }
            }
            throw new IllegalArgumentException("no message " + message);
        }

        byte[] bytes(String leaf) throws IOException {
            json.put("current_leaf_message_uuid", leaf);
            return JSON.writeValueAsBytes(json);
        }
    }

    static ObjectNode block(String type, String key, String value) {
        ObjectNode block = JSON.createObjectNode();
        block.put("type", type);
        block.put(key, value);
        return block;
    }

    static ObjectNode toolUse(String name, Map<String, String> input) {
        ObjectNode block = JSON.createObjectNode();
        block.put("type", "tool_use");
        block.put("id", "toolu_" + UUID.randomUUID().toString().replace("-", ""));
        block.put("name", name);
        ObjectNode in = block.putObject("input");
        input.forEach(in::put);
        return block;
    }

    static ObjectNode toolResult(String text) {
        ObjectNode block = JSON.createObjectNode();
        block.put("type", "tool_result");
        block.put("tool_use_id", "toolu_x");
        block.putArray("content").add(block("text", "text", text));
        block.put("is_error", false);
        return block;
    }

    /** Puts the chat in the account (its updated_at the account's next tick). */
    SampleAccount.Chat put(SampleAccount.Organization organization, String uuid, ChatJson chat, String leaf) throws IOException {
        return account.putRawChat(organization.uuid(), uuid, chat.json.path("name").asText(), chat.bytes(leaf));
    }

    /** A chat of turns with these texts (human first), updated at this time. */
    SampleAccount.Chat plain(SampleAccount.Organization organization, String name, String updatedAt, String... texts)
            throws IOException {
        String uuid = UUID.randomUUID().toString();
        ChatJson chat = new ChatJson(uuid, name, updatedAt);
        String sender = "human";
        for (String text : texts) {
            chat.text(null, sender, text);
            sender = sender.equals("human") ? "assistant" : "human";
        }
        return put(organization, uuid, chat, chat.last);
    }

    BackupRunner.Result backup(String... extra) {
        return BackupRunner.backup(api, dir, extra);
    }

    /** {@code search --dir BACKUP ARGS} as the command line runs it. */
    BackupRunner.Result search(String... args) {
        List<String> all = new ArrayList<>(List.of("search", "--dir", dir.toString()));
        all.addAll(List.of(args));
        return BackupRunner.run(BackupRunner.environment(), all.toArray(String[]::new));
    }

    /** The chat uuids (from the URLs) that {@code search} printed, best first; asserts the exit status. */
    List<String> found(int status, String... args) {
        BackupRunner.Result result = search(args);
        assertEquals(status, result.status().code(), result::toString);
        List<String> uuids = new ArrayList<>();
        for (String line : result.stdoutLines()) {
            String url = line.split("\t")[0];
            uuids.add(url.substring(url.lastIndexOf('/') + 1));
        }
        return uuids;
    }

    Path organizationFolder(SampleAccount.Organization organization) {
        return dir.resolve("organizations").resolve(ChatFileNamer.slug(organization.name(), organization.uuid()));
    }

    @Override
    public void close() {
        api.close();
    }

    static void write(Path file, Object json) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, JSON.writeValueAsBytes(json));
    }
}
