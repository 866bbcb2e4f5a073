package dev.claudebackup.search;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.claudebackup.search.IndexedDocument.Entry;

/**
 * A chat's JSON read as a stream (never as a tree: a chat can be hundreds of megabytes) into its
 * searchable entries: one per message of every branch, with the words of its text, content blocks
 * (text, thinking and its summaries, tool inputs and results), attachments' extracted_content and file
 * names; and one for the chat's name and summary.
 */
final class ChatEntries {

    /** Keys whose string values are words a person wrote or read (a tool result's content may be a string). */
    private static final Set<String> WORD_KEYS = Set.of("text", "thinking", "summary", "extracted_content", "file_name",
            "title", "content");
    /** Inside a tool's input every string counts (a query, a file's text, an artifact), except these identifiers. */
    private static final Set<String> INPUT_IDENTIFIERS = Set.of("id", "type", "command", "language", "version_uuid", "path");

    static final JsonFactory JSON = new JsonFactory();

    /** What the chat's top level says, besides its messages. */
    record Chat(String uuid, String name, String summary, String updatedAt, String projectUuid, List<Entry> entries) {
    }

    private record Message(String uuid, String parent, String sender, String body) {
    }

    private ChatEntries() {
    }

    /**
     * A chat's messages are read for their words up to this many characters (the messages after them for
     * their place in the tree only): the words of a 100 MB chat filled a 256 MB heap, and FTS5 holds a
     * row's every term in memory until the row is in. A chat that long is found by its first 4 million (a long novel).
     */
    static final long INDEXED_AT_MOST = 4_000_000;

    static Chat read(InputStream json) throws IOException {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a chat is a JSON object");
            }
            String uuid = null;
            String name = null;
            String summary = null;
            String updatedAt = null;
            String projectUuid = null;
            String leaf = null;
            List<Message> messages = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "uuid" -> uuid = text(parser);
                    case "name" -> name = text(parser);
                    case "summary" -> summary = text(parser);
                    case "updated_at" -> updatedAt = text(parser);
                    case "project_uuid" -> projectUuid = projectUuid == null ? text(parser) : projectUuid;
                    case "project" -> {
                        if (value == JsonToken.START_OBJECT) {
                            projectUuid = projectUuidOf(parser);
                        } else {
                            parser.skipChildren();
                        }
                    }
                    case "current_leaf_message_uuid" -> leaf = text(parser);
                    case "chat_messages" -> {
                        if (value == JsonToken.START_ARRAY) {
                            long room = INDEXED_AT_MOST;
                            while (parser.nextToken() == JsonToken.START_OBJECT) {
                                Message message = message(parser);
                                String kept = message.body.length() <= room ? message.body : message.body.substring(0, (int) Math.max(0, room));
                                room -= kept.length();
                                messages.add(kept == message.body ? message : new Message(message.uuid, message.parent, message.sender, kept));
                            }
                        } else {
                            parser.skipChildren();
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            Set<String> branch = currentBranch(messages, leaf);
            List<Entry> entries = new ArrayList<>(messages.size() + 1);
            String heading = join(name, summary);
            if (!heading.isBlank()) {
                entries.add(Entry.of(heading));
            }
            for (Message message : messages) {
                if (!message.body.isBlank()) {
                    entries.add(new Entry(message.body, message.uuid, message.sender, branch.contains(message.uuid)));
                }
            }
            return new Chat(uuid, name, summary, updatedAt, projectUuid, entries);
        }
    }

    /** The messages claude.ai shows: from the current leaf up the parents (a cycle in bad data ends it). */
    private static Set<String> currentBranch(List<Message> messages, String leaf) {
        Map<String, String> parents = new HashMap<>(messages.size() * 2);
        for (Message message : messages) {
            if (message.uuid != null) {
                parents.put(message.uuid, message.parent);
            }
        }
        Set<String> branch = new HashSet<>();
        for (String at = leaf; at != null && parents.containsKey(at) && branch.add(at); ) {
            at = parents.get(at);
        }
        return branch;
    }

    private static Message message(JsonParser parser) throws IOException {
        String uuid = null;
        String parent = null;
        String sender = null;
        StringBuilder body = new StringBuilder();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "uuid" -> uuid = text(parser);
                case "parent_message_uuid" -> parent = text(parser);
                case "sender" -> sender = text(parser);
                case "text" -> words(parser, body, true);
                case "content", "attachments", "files", "files_v2" -> words(parser, body, false);
                default -> parser.skipChildren();
            }
        }
        return new Message(uuid, parent, sender, body.toString());
    }

    /**
     * Adds the words under the current value to {@code body}: every string when {@code all}, else the
     * strings of {@link #WORD_KEYS} at any depth, and every string inside a tool's {@code input}.
     */
    static void words(JsonParser parser, StringBuilder body, boolean all) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            if (all) {
                append(body, parser.getText());
            }
            return;
        }
        if (token == JsonToken.START_ARRAY) {
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                words(parser, body, all);
            }
        } else if (token == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("input") || (all && !INPUT_IDENTIFIERS.contains(field))) {
                    words(parser, body, true);
                } else if (!all && value == JsonToken.VALUE_STRING && WORD_KEYS.contains(field)) {
                    append(body, parser.getText());
                } else if (!all && value.isStructStart()) {
                    words(parser, body, false);
                } else {
                    parser.skipChildren();
                }
            }
        }
    }

    private static String projectUuidOf(JsonParser parser) throws IOException {
        String uuid = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equals("uuid")) {
                uuid = text(parser);
            } else {
                parser.skipChildren();
            }
        }
        return uuid;
    }

    private static String text(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    private static void append(StringBuilder body, String text) {
        if (text != null && !text.isBlank()) {
            if (body.length() > 0) {
                body.append('\n');
            }
            body.append(text);
        }
    }

    static String join(String... parts) {
        StringBuilder joined = new StringBuilder();
        for (String part : parts) {
            append(joined, part);
        }
        return joined.toString();
    }
}
