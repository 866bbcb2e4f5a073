package dev.claudebackup.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

/**
 * The pager alone, against a list held in memory that the test changes between two pages: what it
 * asks for, when it stops, and that no chat left alone during the run is missed or returned twice.
 */
class ChatListPagerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Random runs per property; 200,000 pass too (a few seconds), this many keep the test quick. */
    private static final int SEEDS = 3000;

    /** A chat list as claude.ai serves it: most recently updated first, no cursor. */
    static final class MovingList {
        final List<String[]> chats = new ArrayList<>(); // {uuid, updated_at}, front first
        int clock;
        final List<String> asked = new ArrayList<>();

        MovingList(int size) {
            for (int i = 0; i < size; i++) {
                add();
            }
        }

        String add() {
            String uuid = "chat-" + chats.size() + "-" + clock;
            chats.add(0, new String[] {uuid, stamp(++clock)});
            return uuid;
        }

        void update(int position) {
            String[] chat = chats.remove(position);
            chats.add(0, new String[] {chat[0], stamp(++clock)});
        }

        String delete(int position) {
            return chats.remove(position)[0];
        }

        JsonNode page(int offset, int limit, boolean v2) {
            asked.add(offset + "+" + limit);
            ArrayNode rows = MAPPER.createArrayNode();
            for (int i = offset; i < chats.size() && i < offset + limit; i++) {
                rows.addObject().put("uuid", chats.get(i)[0]).put("updated_at", chats.get(i)[1]);
            }
            if (!v2) {
                return rows;
            }
            ObjectNode body = MAPPER.createObjectNode();
            body.set("data", rows);
            body.put("has_more", offset + rows.size() < chats.size());
            return body;
        }

        Set<String> uuids() {
            Set<String> uuids = new HashSet<>();
            chats.forEach(chat -> uuids.add(chat[0]));
            return uuids;
        }

        private static String stamp(int tick) {
            return String.format("2025-06-01T10:%02d:%02d.000000Z", tick / 60 % 60, tick % 60);
        }
    }

    /** Pages to the end; before page {@code n} (from 0) calls {@code between}. */
    private static List<String> read(MovingList list, ChatListPager pager, Consumer<Integer> between) {
        int page = 0;
        while (pager.wantsMore()) {
            between.accept(page++);
            pager.accept(list.page(pager.offset(), pager.limit(), pager.usesV2()));
            if (page > 1000) {
                throw new AssertionError("the pager does not stop");
            }
        }
        List<String> uuids = new ArrayList<>();
        pager.entries().forEach(entry -> uuids.add(entry.path("uuid").asText()));
        return uuids;
    }

    private static ChatListPager fullRead(int pageSize) {
        return new ChatListPager(pageSize, false, entry -> false, false);
    }

    @Test
    void pagesOverlapByOneEntrySoEveryRequestAfterTheFirstBringsPageSizeNewOnes() {
        MovingList list = new MovingList(10);
        ChatListPager pager = fullRead(3);

        List<String> read = read(list, pager, page -> { });

        assertEquals(List.of("0+3", "2+4", "5+4", "8+4"), list.asked);
        assertEquals(10, read.size());
        assertEquals(list.uuids(), new HashSet<>(read));
        assertTrue(pager.readToEnd());
    }

    @Test
    void anEmptyListTakesOneRequest() {
        MovingList list = new MovingList(0);
        ChatListPager pager = fullRead(3);

        assertEquals(List.of(), read(list, pager, page -> { }));
        assertEquals(1, pager.requests());
    }

    @Test
    void earlyStopTakesCeilOfKPlusOneOverPRequests() {
        for (int pageSize : new int[] {1, 2, 3, 5}) {
            for (int k = 0; k <= 12; k++) {
                MovingList list = new MovingList(30);
                Set<String> saved = list.uuids();
                for (int i = 0; i < k; i++) {
                    list.add();
                }
                ChatListPager pager = new ChatListPager(pageSize, true, entry -> saved.contains(entry.path("uuid").asText()), false);

                List<String> read = read(list, pager, page -> { });

                assertEquals((k + 1 + pageSize - 1) / pageSize, pager.requests(), "P=" + pageSize + " k=" + k);
                assertTrue(pager.stoppedEarly());
                assertFalse(pager.readToEnd());
                for (int i = 0; i < k; i++) {
                    assertTrue(read.contains(list.chats.get(i)[0]), "every new chat is among the entries");
                }
            }
        }
    }

    @Test
    void withoutAFinishedPreviousRunTheListIsReadToTheEnd() {
        MovingList list = new MovingList(10);
        Set<String> saved = list.uuids();
        ChatListPager pager = new ChatListPager(3, false, entry -> saved.contains(entry.path("uuid").asText()), false);

        assertEquals(10, read(list, pager, page -> { }).size());
        assertTrue(pager.readToEnd());
        assertEquals(4, pager.requests());
    }

    @Test
    void aChatUpdatedWhilePagingRepeatsAnEntryWhichIsKeptOnce() {
        MovingList list = new MovingList(10);
        Set<String> before = list.uuids();
        String moved = list.chats.get(7)[0];
        ChatListPager pager = fullRead(3);

        List<String> read = read(list, pager, page -> {
            if (page == 1) {
                list.update(7); // jumps to the front: the next page starts one entry earlier
            }
        });

        assertEquals(read.size(), new HashSet<>(read).size(), "no entry twice");
        Set<String> untouched = new HashSet<>(before);
        untouched.remove(moved);
        assertTrue(read.containsAll(untouched), "every chat left alone is read");
        assertEquals(0, pager.stepsBack());
    }

    @Test
    void aChatDeletedWhilePagingIsAbsorbedByTheOverlap() {
        MovingList list = new MovingList(10);
        List<String> deleted = new ArrayList<>();
        ChatListPager pager = fullRead(3);

        List<String> read = read(list, pager, page -> {
            if (page == 1) {
                deleted.add(list.delete(0));
            }
        });

        Set<String> untouched = list.uuids();
        assertTrue(read.containsAll(untouched), "missed " + minus(untouched, read));
        assertEquals(read.size(), new HashSet<>(read).size());
    }

    @Test
    void twoChatsDeletedWhilePagingMakeThePagerReadAStretchAgain() {
        MovingList list = new MovingList(12);
        ChatListPager pager = fullRead(3);

        List<String> read = read(list, pager, page -> {
            if (page == 2) {
                list.delete(0);
                list.delete(0); // the list moves up two: one entry would slide past the page boundary
            }
        });

        assertTrue(read.containsAll(list.uuids()), "missed " + minus(list.uuids(), read));
        assertEquals(1, pager.stepsBack());
    }

    @Test
    void anUpdateAndADeleteBetweenTwoPagesMissNoChatLeftAlone() {
        MovingList list = new MovingList(12);
        Set<String> before = list.uuids();
        String updated = list.chats.get(9)[0];
        String deleted = list.chats.get(1)[0];
        ChatListPager pager = fullRead(3);

        List<String> read = read(list, pager, page -> {
            if (page == 1) {
                list.update(9);
                list.delete(1);
            }
        });

        Set<String> untouched = new HashSet<>(before);
        untouched.remove(updated);
        untouched.remove(deleted);
        assertTrue(read.containsAll(untouched), "missed " + minus(untouched, read));
        assertEquals(read.size(), new HashSet<>(read).size());
    }

    @Test
    void noChatLeftAloneIsEverMissedWhateverHappensBetweenPages() {
        for (int seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(seed);
            int pageSize = 1 + random.nextInt(5);
            MovingList list = new MovingList(random.nextInt(25));
            Set<String> touched = new HashSet<>();
            boolean v2 = random.nextBoolean();
            ChatListPager pager = new ChatListPager(pageSize, false, entry -> false, v2);

            List<String> read = read(list, pager, page -> {
                int changes = random.nextInt(4) == 0 ? random.nextInt(4) : 0;
                for (int i = 0; i < changes && !list.chats.isEmpty(); i++) {
                    int position = random.nextInt(list.chats.size());
                    switch (random.nextInt(3)) {
                        case 0 -> touched.add(list.delete(position));
                        case 1 -> {
                            touched.add(list.chats.get(position)[0]);
                            list.update(position);
                        }
                        default -> touched.add(list.add());
                    }
                }
            });

            Set<String> untouched = list.uuids();
            untouched.removeAll(touched);
            String context = "seed " + seed + ", P=" + pageSize + ", asked " + list.asked;
            assertTrue(read.containsAll(untouched), "missed " + minus(untouched, read) + " - " + context);
            assertEquals(read.size(), new HashSet<>(read).size(), "an entry twice - " + context);
        }
    }

    @Test
    void anEarlyStopMissesNoUnsavedChatLeftAloneWhateverHappensBetweenPages() {
        for (int seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(seed);
            int pageSize = 1 + random.nextInt(5);
            MovingList list = new MovingList(1 + random.nextInt(25));
            // Saved by a finished run; then some chats are added or changed before this one.
            Set<String> saved = new HashSet<>();
            list.chats.forEach(chat -> saved.add(chat[0] + " " + chat[1]));
            for (int changes = random.nextInt(12); changes > 0; changes--) {
                if (random.nextBoolean()) {
                    list.add();
                } else {
                    list.update(random.nextInt(list.chats.size()));
                }
            }
            Set<String> unsaved = new HashSet<>();
            list.chats.forEach(chat -> {
                if (!saved.contains(chat[0] + " " + chat[1])) {
                    unsaved.add(chat[0]);
                }
            });
            Set<String> touched = new HashSet<>();
            ChatListPager pager = new ChatListPager(pageSize, true,
                    entry -> saved.contains(entry.path("uuid").asText() + " " + entry.path("updated_at").asText()), false);

            List<String> read = read(list, pager, page -> {
                if (page > 0 && random.nextInt(3) == 0 && !list.chats.isEmpty()) {
                    int position = random.nextInt(list.chats.size());
                    switch (random.nextInt(3)) {
                        case 0 -> touched.add(list.delete(position));
                        case 1 -> {
                            touched.add(list.chats.get(position)[0]);
                            list.update(position);
                        }
                        default -> touched.add(list.add());
                    }
                }
            });

            unsaved.removeAll(touched);
            String context = "seed " + seed + ", P=" + pageSize + ", asked " + list.asked;
            assertTrue(read.containsAll(unsaved), "missed " + minus(unsaved, read) + " - " + context);
            assertEquals(read.size(), new HashSet<>(read).size(), "an entry twice - " + context);
        }
    }

    @Test
    void theV2ListEndsWhereHasMoreIsFalse() {
        MovingList list = new MovingList(6);
        ChatListPager pager = new ChatListPager(3, false, entry -> false, true);

        assertEquals(6, read(list, pager, page -> { }).size());
        assertEquals(List.of("0+3", "2+4"), list.asked, "has_more=false on a full page ends the list");
    }

    @Test
    void switchingToV2StartsOver() {
        ChatListPager pager = fullRead(3);
        pager.accept(new MovingList(6).page(0, 3, false));
        pager.switchToV2();

        assertTrue(pager.usesV2());
        assertEquals(0, pager.offset());
        assertEquals(3, pager.limit());
        assertTrue(pager.entries().isEmpty());
        assertTrue(pager.wantsMore());
    }

    @Test
    void aServerThatIgnoresTheLimitAndSendsTheWholeListIsReadOnce() {
        MovingList list = new MovingList(8);
        ChatListPager pager = fullRead(3);

        pager.accept(list.page(0, 100, false));

        assertFalse(pager.wantsMore());
        assertEquals(8, pager.entries().size());
    }

    @Test
    void aLaterPageWithNothingButTheAnchorEndsTheList() {
        MovingList list = new MovingList(3);
        ChatListPager pager = new ChatListPager(3, false, entry -> false, true);
        ObjectNode lying = (ObjectNode) list.page(0, 3, true);
        lying.put("has_more", true);
        pager.accept(lying);
        ObjectNode anchorOnly = (ObjectNode) list.page(2, 4, true);
        anchorOnly.put("has_more", true);

        pager.accept(anchorOnly);

        assertFalse(pager.wantsMore(), "no progress: the pager stops instead of asking the same page forever");
    }

    private static Set<String> minus(Set<String> all, List<String> some) {
        Set<String> rest = new HashSet<>(all);
        some.forEach(rest::remove);
        return rest;
    }
}
