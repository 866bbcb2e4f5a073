package dev.claudebackup.sync;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

import dev.claudebackup.api.ClaudeApiException;

/**
 * Pages through one organization's chat list, which has no cursor and is sorted most recently updated
 * first, without missing a chat or returning one twice while the list moves underneath.
 *
 * <p>The first page asks for {@code P} entries at offset 0; every later one asks for {@code P + 1}
 * starting at the previous page's last entry (the anchor), so pages overlap by one entry and each
 * request after the first brings {@code P} new ones: {@code n} requests see {@code nP} entries.
 *
 * <ul>
 * <li>A chat updated while the run pages jumps to the front, so entries before its old place move down
 * one: the next page repeats entries already seen. Entries are kept once, by uuid, so nothing is
 * fetched twice; the chat's new version, now at the front, is this run's to miss and the next run's to
 * fetch (it is newer than anything saved).</li>
 * <li>A chat deleted while the run pages moves the entries after it up one: the overlap absorbs that,
 * but not more. A page whose first entry is one not seen yet and no newer than the anchor may have
 * skipped some, so the pager steps back a page and reads that stretch again.</li>
 * </ul>
 *
 * <p>When the previous run finished this organization, every chat from the first entry saved unchanged
 * onward was saved then (anything changed since is newer, so nearer the front), and paging stops there:
 * the early stop. With {@code k} chats added or changed that takes {@code ceil((k + 1) / P)} requests.
 */
public final class ChatListPager {

    private final int pageSize;
    private final boolean earlyStop;
    private final Predicate<JsonNode> savedUnchanged;
    private final Map<String, JsonNode> entries = new LinkedHashMap<>();
    /** Every entry this run has seen, kept across a switch to the v2 list (see {@link #accept}). */
    private final Set<String> seen = new HashSet<>();
    /**
     * A later page brings entries new to the run unless {@code P} chats were added or updated since the
     * page before (they push the others down, so the page shows what the last one did): {@value} such
     * pages in a row is a list that repeats itself (a server that ignores the offset, or a has_more that
     * is always true). Not one: with a small page size a busy list can do that for a few pages, and the
     * pager then still reads it whole. (A stretch read again after a step back may hold nothing new.)
     */
    static final int STALE_PAGES_IN_A_ROW = 10;
    /** The most entries (distinct) one list may have in a run: a list beyond it never ends. */
    private final int maxEntries;
    private boolean v2;
    private boolean steppedBack;
    /** Later pages in a row that brought no entry new to this run. */
    private int staleInARow;
    private int offset;
    private JsonNode anchor;
    private boolean done;
    private boolean stoppedEarly;
    private boolean broken;
    private int requests;
    private int stepsBack;

    /**
     * @param earlyStop      whether the previous run finished this organization, so paging may stop early
     * @param savedUnchanged whether an entry was saved before at its current {@code updated_at}
     * @param v2             start on the v2 list (the v1 list answered 404 before)
     */
    public ChatListPager(int pageSize, boolean earlyStop, Predicate<JsonNode> savedUnchanged, boolean v2) {
        this(pageSize, earlyStop, savedUnchanged, v2, Integer.MAX_VALUE);
    }

    /**
     * @param maxEntries the most distinct entries the list may have (property backup.max-list-entries):
     *                   past it the list counts as never ending, and reading it fails
     */
    public ChatListPager(int pageSize, boolean earlyStop, Predicate<JsonNode> savedUnchanged, boolean v2, int maxEntries) {
        this.maxEntries = maxEntries;
        if (pageSize < 1) {
            throw new IllegalArgumentException("the page size must be at least 1, not " + pageSize);
        }
        this.pageSize = pageSize;
        this.earlyStop = earlyStop;
        this.savedUnchanged = savedUnchanged;
        this.v2 = v2;
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
        done = false;
        entries.clear();
    }

    /**
     * Takes one page: a JSON array (v1) or {@code {"data": [...], "has_more": bool}} (v2). Throws
     * {@link EndlessListException} for a list that would never end: a later page that brings no entry
     * not seen in this run (a server that ignores the offset, a {@code has_more} that is always true), or
     * more entries, or pages, than the cap allows (a server that invents new ones).
     */
    public void accept(JsonNode page) {
        if (done) {
            throw new IllegalStateException("the list was read to its end already");
        }
        requests++;
        JsonNode data = page.isArray() ? page : page.path("data");
        List<JsonNode> rows = new ArrayList<>();
        data.forEach(rows::add);
        int asked = limit();
        boolean later = anchor != null;

        // A later page holds its anchor unless the list moved: when it starts past the anchor, or is empty
        // (the list shrank below the offset), entries may have slid past unseen. The page is dropped (so
        // "seen" keeps meaning "at or before the anchor") and read again from a page earlier, whatever
        // the saved entries in it say: the skipped ones are newer than them.
        if (later && offset > 0 && (rows.isEmpty() || slidPast(rows.get(0)))) {
            stepsBack++;
            steppedBack = true;
            offset = Math.max(0, offset - pageSize);
            requireBounded();
            return;
        }
        boolean sawSavedEntry = false;
        int fresh = 0;
        for (JsonNode row : rows) {
            String uuid = row.path("uuid").asText("");
            // Only an entry new to this run can show where the last run's work starts: one seen on an
            // earlier page (the overlap), or on the v1 list before a switch to v2, may have been fetched
            // and saved by this run meanwhile.
            String key = uuid.isEmpty() ? "#" + entries.size() : uuid;
            entries.putIfAbsent(key, row);
            boolean isNew = seen.add(key);
            fresh += isNew ? 1 : 0;
            sawSavedEntry |= isNew && savedUnchanged.test(row);
        }
        boolean rereading = steppedBack;
        steppedBack = false;
        if (earlyStop && sawSavedEntry) {
            stoppedEarly = true;
            done = true;
        } else if (isLastPage(page, rows, asked, later)) {
            done = true;
        } else if (later && fresh == 0 && !rereading && ++staleInARow >= STALE_PAGES_IN_A_ROW) {
            throw endless("its pages up to offset " + offset + " brought no chat not already listed in this run"
                    + " (the server seems to ignore the offset, or says there is more when there is not)");
        } else {
            if (fresh > 0) {
                staleInARow = 0;
            }
            anchor = rows.get(rows.size() - 1);
            offset += rows.size() - 1;
            requireBounded();
        }
    }

    /** Past the cap, in entries or in pages (each page brings at least one new entry, or steps back). */
    private void requireBounded() {
        if (seen.size() > maxEntries) {
            throw endless("it has more than " + maxEntries + " chats, the most backup.max-list-entries allows"
                    + " (by default ten times the last run's count plus 10,000)");
        }
        long maxRequests = 2L * (maxEntries / pageSize) + 10;
        if (requests > maxRequests) {
            throw endless("it took more than " + maxRequests + " pages without an end");
        }
    }

    /** A list that would never end: the organization fails, its list is not saved as complete, nothing is deleted. */
    private EndlessListException endless(String why) {
        // no more pages, and the list never counts as read to its end (nothing is deleted for it)
        done = true;
        broken = true;
        return new EndlessListException(why);
    }

    public static final class EndlessListException extends ClaudeApiException {
        EndlessListException(String why) {
            super(200, "the chat list does not end: " + why + "; stopped reading it");
        }
    }

    /**
     * The end of the list: v2 says so; a v1 page shorter than asked. A later page of no more than the
     * anchor, or a page longer than asked (a server that ignores the limit sends the whole list), ends it too.
     */
    private static boolean isLastPage(JsonNode page, List<JsonNode> rows, int asked, boolean later) {
        if (rows.isEmpty() || rows.size() > asked || later && rows.size() <= 1) {
            return true;
        }
        if (!page.isArray() && page.has("has_more")) {
            return !page.path("has_more").asBoolean(false);
        }
        return rows.size() < asked;
    }

    /** An unseen entry no newer than the anchor: entries between the two may have slid past unseen. */
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
        return done && !stoppedEarly && !broken;
    }

    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    /** Pages taken, including those read again after the list moved. */
    public int requests() {
        return requests;
    }

    /** How often the list moved enough that a stretch had to be read again. */
    public int stepsBack() {
        return stepsBack;
    }
}
