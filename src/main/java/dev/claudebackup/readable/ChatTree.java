package dev.claudebackup.readable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A chat's messages as the tree they are ({@code parent_message_uuid}), cut into branches so that each
 * message is shown exactly once: first the branch claude.ai shows (ending at
 * {@code current_leaf_message_uuid}), then, leaf by leaf, what every other branch adds, each starting
 * where it forks.
 */
final class ChatTree {

    /** A run of messages; {@code forksAfter} is the message it continues from (null: from the start). */
    record Branch(int number, List<JsonNode> messages, JsonNode forksAfter) {
    }

    private final Map<String, JsonNode> byUuid = new LinkedHashMap<>();
    private final Map<String, List<JsonNode>> children = new HashMap<>();
    private final Map<String, Integer> depth = new HashMap<>();
    private final List<Branch> branches = new ArrayList<>();

    ChatTree(JsonNode chat) {
        List<JsonNode> messages = new ArrayList<>();
        for (JsonNode message : chat.path("chat_messages")) {
            String uuid = message.path("uuid").asText("");
            if (message.isObject() && !uuid.isEmpty() && !byUuid.containsKey(uuid)) {
                byUuid.put(uuid, message);
                messages.add(message);
            }
        }
        messages.sort(Comparator.comparingInt(ChatTree::order));
        for (JsonNode message : messages) {
            children.computeIfAbsent(parentOf(message), parent -> new ArrayList<>()).add(message);
        }
        List<JsonNode> leaves = messages.stream().filter(message -> !children.containsKey(uuid(message))).toList();

        Set<String> shown = new HashSet<>();
        JsonNode current = byUuid.get(chat.path("current_leaf_message_uuid").asText(""));
        if (current == null && !leaves.isEmpty()) {
            current = leaves.get(leaves.size() - 1);
        }
        List<JsonNode> ordered = new ArrayList<>();
        if (current != null) {
            ordered.add(current);
        }
        ordered.addAll(leaves);
        for (JsonNode leaf : ordered) {
            List<JsonNode> path = pathTo(leaf);
            for (int i = 0; i < path.size(); i++) {
                depth.putIfAbsent(uuid(path.get(i)), i + 1);
            }
            int first = 0;
            while (first < path.size() && shown.contains(uuid(path.get(first)))) {
                first++;
            }
            if (first == path.size()) {
                continue; // the current leaf was not a leaf, or a leaf already shown
            }
            List<JsonNode> added = path.subList(first, path.size());
            added.forEach(message -> shown.add(uuid(message)));
            branches.add(new Branch(branches.size() + 1, List.copyOf(added), first == 0 ? null : path.get(first - 1)));
        }
        List<JsonNode> unreached = messages.stream().filter(message -> !shown.contains(uuid(message))).toList();
        if (!unreached.isEmpty()) {
            branches.add(new Branch(branches.size() + 1, unreached, null)); // a loop of parents: shown all the same
        }
    }

    List<Branch> branches() {
        return branches;
    }

    int messageCount() {
        return byUuid.size();
    }

    /** The message's place on its own branch, from 1. */
    int depth(JsonNode message) {
        return depth.getOrDefault(uuid(message), 0);
    }

    /** The messages that answer the same message as this one, this one included, oldest first. */
    List<JsonNode> siblings(JsonNode message) {
        return children.getOrDefault(parentOf(message), List.of(message));
    }

    /** The messages in the order they were written: artifacts are rebuilt in this order. */
    List<JsonNode> chronological() {
        List<JsonNode> all = new ArrayList<>(byUuid.values());
        all.sort(Comparator.comparingInt(ChatTree::order));
        return all;
    }

    /** The root's parent, or a parent the chat does not hold, are one and the same: the start. */
    String parentOf(JsonNode message) {
        String parent = message.path("parent_message_uuid").asText("");
        return byUuid.containsKey(parent) && !parent.equals(uuid(message)) ? parent : "";
    }

    /** The root to the leaf; a loop of parents (the API never sends one) ends the walk. */
    private List<JsonNode> pathTo(JsonNode leaf) {
        List<JsonNode> path = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        JsonNode message = leaf;
        while (message != null && seen.add(uuid(message))) {
            path.add(0, message);
            String parent = parentOf(message);
            message = parent.isEmpty() ? null : byUuid.get(parent);
        }
        return path;
    }

    static String uuid(JsonNode message) {
        return message.path("uuid").asText("");
    }

    private static int order(JsonNode message) {
        return message.path("index").asInt(Integer.MAX_VALUE);
    }
}
