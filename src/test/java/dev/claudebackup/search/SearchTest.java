package dev.claudebackup.search;

import static dev.claudebackup.search.SearchFixture.block;
import static dev.claudebackup.search.SearchFixture.toolResult;
import static dev.claudebackup.search.SearchFixture.toolUse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.search.SearchFixture.ChatJson;
import dev.claudebackup.testing.BackupRunner;

/** {@code search} on a backup the real command made from the loopback API: what it finds, how it says it. */
class SearchTest {

    @TempDir
    static Path work;
    static SearchFixture backup;
    static String branched;
    static String offBranchMessage;
    static String tools;
    static String cafe;
    static String trip;
    static String sideFalafel;
    static String mainFalafel;
    static String hostile;
    static final Set<String> holdingMarker = new HashSet<>();
    static final Set<String> all = new HashSet<>();

    @BeforeAll
    static void backUp() throws Exception {
        backup = new SearchFixture(work);
        SampleAccount.Organization main = backup.main;

        // a retried answer: the first answer is on a branch claude.ai no longer shows
        branched = UUID.randomUUID().toString();
        ChatJson chat = new ChatJson(branched, "Garden questions", "2025-03-10T08:00:00.000000Z");
        String question = chat.text(null, "human", "Which vegetables grow in shade?");
        offBranchMessage = chat.text(question, "assistant", "Try zucchini near the wall.");
        String shown = chat.text(question, "assistant", "Lettuce and spinach grow in partial shade.");
        backup.put(main, branched, chat, shown);

        // words only in thinking, a tool's input, a tool's result, a pasted text
        tools = UUID.randomUUID().toString();
        chat = new ChatJson(tools, "Research session", "2025-04-02T08:00:00.000000Z");
        String asked = chat.text(null, "human", "Please look this up.");
        chat.attachment(asked, "pasted.txt", "The narwhal paragraph pasted by hand.");
        chat.message(null, "assistant", block("thinking", "thinking", "The quokka is relevant here."),
                toolUse("web_search", Map.of("query", "pangolin habitat")),
                toolResult("Results about the axolotl."),
                block("text", "text", "Here is what I found."));
        backup.put(main, tools, chat, chat.last);

        cafe = backup.plain(main, "Café notes", "2025-05-01T08:00:00.000000Z",
                "Le café crème est délicieux à Paris.", "Oui, et le naïve résumé aussi.").uuid();
        trip = backup.plain(main, "Trip planning", "2025-06-20T08:00:00.000000Z",
                "We will visit Lisbon and Porto by train.", "The train from Porto to Lisbon is scenic.").uuid();
        mainFalafel = backup.plain(main, "Cooking", "2025-02-01T08:00:00.000000Z",
                "How do I make falafel crisp?", "Use dried chickpeas, not canned ones.").uuid();
        sideFalafel = backup.plain(backup.side, "Lunch ideas", "2025-02-02T08:00:00.000000Z",
                "Is a falafel wrap a good lunch?", "Yes, with tahini.").uuid();
        hostile = backup.plain(main, "Evil\u001b[31m\tname\nwith\u202e breaks", "2025-02-03T08:00:00.000000Z",
                "the hostile chat mentions gargoyle", "line one\nline two gargoyle\ttabbed").uuid();
        for (int i = 0; i < 24; i++) {
            String text = i % 3 == 0 ? "This one has the lighthouse marker." : "This one has nothing special.";
            String uuid = backup.plain(i % 2 == 0 ? main : backup.side, "Filler " + i, "2025-01-0" + (1 + i % 9) + "T08:00:00.000000Z",
                    text, "Noted.").uuid();
            if (i % 3 == 0) {
                holdingMarker.add(uuid);
            }
            all.add(uuid);
        }
        BackupRunner.Result result = backup.backup();
        assertEquals(0, result.status().code(), result::toString);
        assertTrue(Files.isRegularFile(backup.dir.resolve(".claude-backup/search.db")), "the backup run built the index");
    }

    @AfterAll
    static void close() {
        backup.close();
    }

    @Test
    void aWordOnlyOnABranchClaudeDoesNotShowIsFoundAndSaidToBeOffIt() throws Exception {
        assertEquals(List.of(branched), backup.found(0, "zucchini"));
        JsonNode hit = json("zucchini").get(0);
        assertEquals("https://claude.ai/chat/" + branched, hit.path("url").asText());
        assertEquals("chat", hit.path("kind").asText());
        assertEquals(offBranchMessage, hit.path("message_uuid").asText());
        assertFalse(hit.path("on_current_branch").asBoolean(true));
        assertEquals("Garden questions", hit.path("name").asText());
        assertEquals("Main", hit.path("organization").asText());
        assertTrue(hit.path("snippet").asText().contains("[zucchini]"), hit.toString());

        JsonNode shown = json("lettuce").get(0);
        assertTrue(shown.path("on_current_branch").asBoolean(false), shown.toString());
    }

    @Test
    void thinkingToolInputsResultsAndPastedTextAreSearched() {
        for (String word : List.of("quokka", "pangolin", "axolotl", "narwhal")) {
            assertEquals(List.of(tools), backup.found(0, word), word);
        }
    }

    @Test
    void everyChatHoldingTheWordIsFoundAndNoneWithout() {
        assertEquals(holdingMarker, new HashSet<>(backup.found(0, "lighthouse", "--limit", "100")));
        assertEquals(8, holdingMarker.size());
    }

    @Test
    void oneLinePerChatBestFirstWithinTheLimit() {
        // "falafel" is in the name row and a message of two chats
        List<String> found = backup.found(0, "falafel");
        assertEquals(Set.of(mainFalafel, sideFalafel), new HashSet<>(found));
        assertEquals(2, found.size(), "one line per chat");
        assertEquals(3, backup.found(0, "lighthouse", "--limit", "3").size());
    }

    @Test
    void phrasesPrefixesOrAndExclusion() {
        assertEquals(List.of(trip), backup.found(0, "Porto to Lisbon"), "an argument with spaces is a phrase");
        assertEquals(List.of(trip), backup.found(0, "\"visit lisbon\""));
        assertEquals(List.of(), backup.found(1, "\"lisbon visit\""), "a phrase is in order");
        // the index holds a chat's messages in one row: "by train." then "The train from" is no phrase of the chat
        assertEquals(List.of(), backup.found(1, "\"train the\""), "a phrase is in one message, not across two");
        assertEquals(List.of(), backup.found(1, "\"train the\"", "porto"));
        assertEquals(List.of(trip), backup.found(0, "lisb*"));
        assertEquals(Set.of(trip, mainFalafel, sideFalafel), new HashSet<>(backup.found(0, "lisbon", "OR", "falafel")));
        assertEquals(List.of(sideFalafel), backup.found(0, "falafel", "-chickpeas"));
        assertEquals(List.of(mainFalafel), backup.found(0, "falafel", "-\"wrap a good\""));
        assertEquals(List.of(trip), backup.found(0, "train", "porto", "-falafel"), "all words must match");
        assertEquals(List.of(), backup.found(1, "train", "falafel"));
        assertEquals(List.of(mainFalafel), backup.found(0, "falafel", "chickpeas"), "the words may be in different messages");
    }

    @Test
    void caseAndAccentsDoNotMatter() {
        assertEquals(List.of(cafe), backup.found(0, "CAFE"));
        assertEquals(List.of(cafe), backup.found(0, "delicieux"));
        assertEquals(List.of(cafe), backup.found(0, "naïve"));
        assertEquals(List.of(cafe), backup.found(0, "resume"));
    }

    @Test
    void filters() {
        assertEquals(List.of(mainFalafel), backup.found(0, "falafel", "--org", "main"));
        assertEquals(List.of(sideFalafel), backup.found(0, "falafel", "--org", backup.side.uuid()));
        assertEquals(List.of(sideFalafel), backup.found(0, "falafel", "--since", "2025-02-02"));
        assertEquals(List.of(mainFalafel), backup.found(0, "falafel", "--until", "2025-02-01"));
        assertEquals(List.of(), backup.found(1, "falafel", "--since", "2025-03-01"));
        assertEquals(List.of(), backup.found(1, "chickpeas", "--sender", "human"));
        assertEquals(List.of(mainFalafel), backup.found(0, "chickpeas", "--sender", "assistant"));
        assertEquals(List.of(), backup.found(1, "falafel", "--project", "No such project"));
    }

    @Test
    void outputIsOneLineOfFourFieldsWithoutControlCharacters() {
        BackupRunner.Result result = backup.search("gargoyle");
        assertEquals(0, result.status().code(), result::toString);
        List<String> lines = result.stdoutLines();
        assertEquals(1, lines.size(), result::toString);
        String[] fields = lines.get(0).split("\t", -1);
        assertEquals(4, fields.length, lines.get(0));
        assertEquals("https://claude.ai/chat/" + hostile, fields[0]);
        assertTrue(fields[1].startsWith("2025-"), fields[1]);
        assertFalse(lines.get(0).chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x202e), lines.get(0));
        assertTrue(fields[2].startsWith("Evil"), fields[2]);
        assertTrue(fields[3].contains("[gargoyle]"), fields[3]);
    }

    @Test
    void exitStatuses() {
        assertEquals(0, backup.search("falafel").status().code());
        assertEquals(1, backup.search("nonexistentword").status().code());
        for (String[] bad : List.of(new String[] {"OR"}, new String[] {"-falafel"}, new String[] {"falafel", "OR"},
                new String[] {}, new String[] {"falafel", "--sender", "robot"}, new String[] {"falafel", "--since", "yesterday"},
                new String[] {"falafel", "--limit", "0"})) {
            BackupRunner.Result result = backup.search(bad);
            assertEquals(2, result.status().code(), String.join(" ", bad) + ": " + result);
            assertFalse(result.stderr().contains("Exception"), result::toString);
        }
        BackupRunner.Result none = BackupRunner.run(BackupRunner.environment(), "search", "--dir", work.resolve("nothing").toString(), "x");
        assertEquals(2, none.status().code(), none::toString);
    }

    @Test
    void aHitsPageIsLookedForInTheConfiguredReadableFolder() throws Exception {
        JsonNode byDefault = SearchFixture.JSON.readTree(backup.search("--json", "lisbon").stdout().lines().findFirst().orElseThrow());
        assertEquals(trip, byDefault.path("uuid").asText());
        String page = byDefault.path("page").asText();
        assertTrue(Files.isRegularFile(backup.dir.resolve("readable").resolve(page)), byDefault::toString);

        Map<String, String> environment = BackupRunner.environment();
        environment.put("READABLE_DIR", "elsewhere");
        String[] args = {"search", "--dir", backup.dir.toString(), "--json", "lisbon"};
        JsonNode hit = SearchFixture.JSON.readTree(BackupRunner.run(environment, args).stdout().lines().findFirst().orElseThrow());
        assertTrue(hit.path("page").isNull(), "no page in elsewhere/ yet: " + hit);
        Path elsewhere = backup.dir.resolve("elsewhere").resolve(page);
        Files.createDirectories(elsewhere.getParent());
        Files.writeString(elsewhere, "<p>trip</p>");
        try {
            hit = SearchFixture.JSON.readTree(BackupRunner.run(environment, args).stdout().lines().findFirst().orElseThrow());
            assertEquals(page, hit.path("page").asText());
        } finally {
            Files.delete(elsewhere);
        }
    }

    @Test
    void noInputReachesFts5AsSyntax() {
        for (String hostileQuery : List.of("\"", "\"\"", "*", "a*b", "NEAR(a b)", "a:b", "col:falafel", "(falafel", "falafel)",
                "^falafel", "falafel AND", "NOT falafel", "{body}: x", "'", "-", "--", "- falafel", "\u0000", "falafel\"*")) {
            BackupRunner.Result result = backup.search(hostileQuery);
            assertTrue(result.status().code() <= 2, hostileQuery);
            assertFalse(result.stderr().contains("Exception") || result.stderr().contains("fts5"), hostileQuery + ": " + result);
        }
        assertEquals(List.of(mainFalafel, sideFalafel).size(), backup.found(0, "(falafel").size());
    }

    private static List<JsonNode> json(String... query) throws Exception {
        List<String> args = new ArrayList<>(List.of(query));
        args.add("--json");
        BackupRunner.Result result = backup.search(args.toArray(String[]::new));
        assertEquals(0, result.status().code(), result::toString);
        List<JsonNode> hits = new ArrayList<>();
        for (String line : result.stdoutLines()) {
            JsonNode hit = SearchFixture.JSON.readTree(line);
            for (String field : List.of("url", "kind", "uuid", "name", "organization", "project", "updated_at", "snippet",
                    "message_uuid", "on_current_branch", "page")) {
                assertTrue(hit.has(field), field + " in " + line);
            }
            hits.add(hit);
        }
        return hits;
    }
}
