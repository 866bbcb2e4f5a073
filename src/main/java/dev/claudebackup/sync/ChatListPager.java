package dev.claudebackup.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Pages through one organization's chat list, which has no cursor and is sorted most recently updated
 * first, without missing a chat or returning one twice while the list moves underneath.
 *
 * <p>A chat updated during the run jumps to the front, so the next page repeats an entry: entries are
 * kept once, by uuid. A chat deleted during the run shifts the rest up, so a naive next page would skip
 * one: every page after the first asks for one entry more and starts at the previous page's last entry
 * (the anchor). When a page starts with an entry we have not seen that is older than the anchor, some
 * entries slid past the page boundary, and the pager steps back a page to pick them up.
 *
 * <p>When the previous run finished this organization, everything from the first entry saved unchanged
 * onward was saved then, so paging stops there (the early stop).
 */
public final class ChatListPager {

    private final int pageSize;
    private final boolean earlyStop;
    private final Predicate<JsonNode> savedUnchanged;
    private final Map<String, JsonNode> entries = new LinkedHashMap<>();
    private boolean v2;
    private int offset;
    private JsonNode anchor;
    private boolean done;
    private boolean stoppedEarly;
    private int requests;

    /**
     * @param earlyStop      whether the previous run finished this organization, so paging may stop early
     * @param savedUnchanged whether an entry was saved before at its current {@code updated_at}
     */
    public ChatListPager(int pageSize, boolean earlyStop, Predicate<JsonNode> savedUnchanged) {
        this.pageSize = pageSize;
        this.earlyStop = earlyStop;
        this.savedUnchanged = savedUnchanged;
    }

    public boolean wantsMore() {
        return !done;
    }

    public int offset() {
        return offset;
    }

    /** The first page has no anchor; later ones take one entry more to overlap the previous page. */
    public int limit() {
        return anchor == null ? pageSize : pageSize + 1;
    }

    public boolean usesV2() {
        return v2;
    }

    /** The v1 list answered 404: start over on the v2 list. */
    public void switchToV2() {
        v2 = true;
        offset = 0;
        anchor = null;
        entries.clear();
    }

    /** Takes one page: a JSON array (v1) or {@code {"data": [...], "has_more": bool}} (v2). */
    public void accept(JsonNode page) {
        requests++;
        JsonNode data = page.isArray() ? page : page.path("data");
        List<JsonNode> rows = new ArrayList<>();
        data.forEach(rows::add);
        boolean lastPage = page.isArray() ? rows.size() < limit() : !page.path("has_more").asBoolean(false);

        boolean gap = anchor != null && offset > 0 && !rows.isEmpty() && slidPast(rows.get(0));
        boolean sawSavedEntry = false;
        for (JsonNode row : rows) {
            String uuid = row.path("uuid").asText("");
            entries.putIfAbsent(uuid.isEmpty() ? "#" + entries.size() : uuid, row);
            sawSavedEntry |= savedUnchanged.test(row);
        }
        if (earlyStop && sawSavedEntry) {
            stoppedEarly = true;
            done = true;
        } else if (gap) {
            offset = Math.max(0, offset - pageSize);
        } else if (lastPage || rows.isEmpty()) {
            done = true;
        } else {
            anchor = rows.get(rows.size() - 1);
            offset += rows.size() - 1;
        }
    }

    /** An unseen entry older than the anchor means entries moved up past the page boundary. */
    private boolean slidPast(JsonNode first) {
        if (entries.containsKey(first.path("uuid").asText(""))) {
            return false;
        }
        return first.path("updated_at").asText("").compareTo(anchor.path("updated_at").asText("")) <= 0;
    }

    /** Every distinct entry seen, in list order. */
    public List<JsonNode> entries() {
        return List.copyOf(entries.values());
    }

    /** Whether the list was read to its end (not stopped early). */
    public boolean readToEnd() {
        return done && !stoppedEarly;
    }

    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    public int requests() {
        return requests;
    }
}
