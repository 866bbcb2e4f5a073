package dev.claudebackup.search;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import dev.claudebackup.report.Console;

/**
 * A chat, project or memory that matched, at its best entry: the fields of the --json line and of
 * /api/search (CONTRACTS.md point 6). {@code snippet} has the matched words between [ and ].
 */
public record SearchHit(String url, String kind, String uuid, String name, String organization, String project,
                        String updatedAt, String snippet, String messageUuid, boolean onCurrentBranch, String page) {

    /** Memory has no uuid of its own: its document is keyed by its owner's (the organization's or project's). */
    static final String MEMORY_PREFIX = "memory:";

    /** Line breaks and tabs: flattened to a space. */
    private static final Pattern BREAKS = Pattern.compile("[\\t\\n\\x0B\\f\\r\\u0085\\u2028\\u2029]+");

    /** {@code URL<TAB>UPDATED<TAB>NAME<TAB>SNIPPET}, each field on one line and without control characters. */
    public String line() {
        return String.join("\t", printable(url), printable(updatedAt), printable(name), printable(snippet));
    }

    /** The fields by their JSON names, in the contract's order. */
    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", url);
        json.put("kind", kind);
        json.put("uuid", uuid);
        json.put("name", name);
        json.put("organization", organization);
        json.put("project", project);
        json.put("updated_at", updatedAt);
        json.put("snippet", snippet);
        json.put("message_uuid", messageUuid);
        json.put("on_current_branch", onCurrentBranch);
        json.put("page", page);
        return json;
    }

    /** A field on one line: line breaks flattened, then no control character reaches the terminal (Console's rule). */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        return Console.printable(BREAKS.matcher(text).replaceAll(" ")).strip();
    }
}
