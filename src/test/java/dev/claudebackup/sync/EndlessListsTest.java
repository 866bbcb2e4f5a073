package dev.claudebackup.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi.Response;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.testing.BackupRunner;

/**
 * Issue 16, point 10: lists that never end. A server that ignores the offset, a v2 list whose has_more
 * is always true, and one that invents new uuids page after page each fail their organization with a
 * clear message after a bounded number of requests; the other organization is backed up as usual.
 */
class EndlessListsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int PAGE = 3;

    @TempDir
    Path work;
    LoopbackBackup backup;

    @BeforeEach
    void start() throws Exception {
        backup = LoopbackBackup.start(work, PAGE, 10, 2);
    }

    @AfterEach
    void stop() {
        backup.close();
    }

    private boolean isMainList(dev.claudebackup.demo.FakeClaudeApi.Request request) {
        return request.path().matches("/api/organizations/" + backup.main + "/chat_conversations(_v2)?");
    }

    /** The list's first entries, as many as asked: the offset is ignored. */
    private byte[] firstPage(dev.claudebackup.demo.FakeClaudeApi.Request request, boolean v2) throws java.io.IOException {
        int limit = Integer.parseInt(request.query().get("limit"));
        ArrayNode rows = MAPPER.createArrayNode();
        backup.account.chatList(backup.main).subList(0, limit).forEach(chat -> rows.add(SampleAccount.listEntry(chat)));
        if (!v2) {
            return MAPPER.writeValueAsBytes(rows);
        }
        ObjectNode page = MAPPER.createObjectNode();
        page.set("data", rows);
        page.put("has_more", true);
        return MAPPER.writeValueAsBytes(page);
    }

    private void assertMainFailedAndSideSaved(BackupRunner.Result result, String why) throws Exception {
        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        String label = backup.account.organization(backup.main).name() + " (" + backup.main + ")";
        assertTrue(result.stderr().contains("Could not back up organization " + label + ": the chat list does not end: " + why),
                result.stderr());
        for (SampleAccount.Chat chat : backup.account.chatList(backup.side)) {
            assertTrue(Files.isRegularFile(backup.chatFile(backup.side, chat.uuid())), "the other organization is saved");
        }
    }

    @Test
    void aServerThatIgnoresTheOffsetFailsTheOrganizationAfterAFewPages() throws Exception {
        backup.api.intercept(request -> isMainList(request)
                ? Optional.of(new Response(200, Map.of("Content-Type", "application/json"), firstPage(request, false))) : Optional.empty());

        BackupRunner.Result result = backup.run("--ignore-cache");

        assertMainFailedAndSideSaved(result, "its pages up to offset");
        int pages = backup.calls().v1Lists(backup.main).size();
        assertTrue(pages <= 2 + ChatListPager.STALE_PAGES_IN_A_ROW, "stopped after " + pages + " pages");
        assertTrue(result.stderr().contains("Removing nothing"), "a list not read to its end deletes nothing: " + result.stderr());
    }

    @Test
    void aV2ListWhoseHasMoreIsAlwaysTrueFailsTheOrganization() throws Exception {
        backup.api.retireV1List();
        backup.api.intercept(request -> isMainList(request) && request.path().endsWith("_v2")
                ? Optional.of(new Response(200, Map.of("Content-Type", "application/json"), firstPage(request, true))) : Optional.empty());

        BackupRunner.Result result = backup.run();

        assertMainFailedAndSideSaved(result, "its pages up to offset");
        assertTrue(backup.calls().v2Lists(backup.main).size() <= 2 + ChatListPager.STALE_PAGES_IN_A_ROW);
    }

    @Test
    void aListThatInventsNewChatsForeverStopsAtTheCap() throws Exception {
        Files.writeString(work.resolve("claude-backup.properties"), "backup.max-list-entries=20\n", StandardOpenOption.APPEND);
        backup.api.retireV1List();
        AtomicInteger clock = new AtomicInteger(1_000_000);
        backup.api.intercept(request -> {
            if (!isMainList(request) || !request.path().endsWith("_v2")) {
                return Optional.empty();
            }
            ArrayNode rows = MAPPER.createArrayNode();
            int limit = Integer.parseInt(request.query().get("limit"));
            for (int i = 0; i < limit; i++) {
                // each newer than anything seen, so the pager never steps back: it only sees more
                rows.addObject().put("uuid", UUID.randomUUID().toString()).put("name", "invented")
                        .put("updated_at", "2099-01-01T00:00:00." + clock.decrementAndGet() + "Z");
            }
            ObjectNode page = MAPPER.createObjectNode();
            page.set("data", rows);
            page.put("has_more", true);
            return Optional.of(new Response(200, Map.of("Content-Type", "application/json"), MAPPER.writeValueAsBytes(page)));
        });

        BackupRunner.Result result = backup.run();

        assertMainFailedAndSideSaved(result, "it has more than 20 chats, the most backup.max-list-entries allows");
        List<String> pages = backup.calls().v2Lists(backup.main);
        // each page looks as if entries slid past (older than the last one seen), so the pager steps back too
        assertTrue(pages.size() <= 2 * (20 / PAGE) + 10, "stopped at the cap: " + pages.size() + " pages");
    }
}
