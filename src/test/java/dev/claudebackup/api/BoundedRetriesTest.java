package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi.Response;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/**
 * Issue 16, point 11: retries are bounded on every path. A list page with a 25-million-character string
 * (over Jackson's default limit) was parsed after the answer check and retried without end; now the
 * limits are a real chat's, and an answer beyond them is refused once, not retried.
 */
class BoundedRetriesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;
    ApiFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ApiFixture(3);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aListPageWithA25MillionCharacterStringIsReadOnceAndEveryChatSaved() throws Exception {
        ArrayNode page = MAPPER.createArrayNode();
        for (SampleAccount.Chat chat : fixture.chats) {
            page.add(SampleAccount.listEntry(chat));
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) page.get(0)).put("summary", "x".repeat(25_000_000));
        Response huge = new Response(200, java.util.Map.of("Content-Type", "application/json"), MAPPER.writeValueAsBytes(page));
        fixture.api.intercept(request -> ApiFixture.listRequest().test(request) ? Optional.of(huge) : Optional.empty());

        BackupRunner.Result result = fixture.backup(dir, "--retries", "3");

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertEquals(1, fixture.requests(ApiFixture.listRequest()).size(), "one page, read once");
        for (SampleAccount.Chat chat : fixture.chats) {
            assertArrayEquals(chat.json(), Files.readAllBytes(dir.resolve(fixture.fileOf(chat))));
        }
    }

    @Test
    void anAnswerNestedDeeperThanAChatCanHoldIsRefusedOnceNotRetried() throws Exception {
        SampleAccount.Chat chat = fixture.chat(0);
        int depth = ApiJson.MAX_NESTING_DEPTH + 1;
        String deep = "{\"uuid\":\"" + chat.uuid() + "\",\"chat_messages\":[],\"deep\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        fixture.failAlways(ApiFixture.chatRequest(chat), new Response(200, java.util.Map.of("Content-Type", "application/json"),
                deep.getBytes(StandardCharsets.UTF_8)));

        BackupRunner.Result result = fixture.backup(dir, "--retries", "3");

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertEquals(1, fixture.requests(ApiFixture.chatRequest(chat)).size(), "a permanent failure is not retried");
        assertTrue(result.stderr().contains("Could not save chat " + ApiFixture.label(chat)
                + ": the answer from claude.ai is beyond what a chat can hold"), result.stderr());
        assertFalse(result.stderr().contains("Retrying chat " + ApiFixture.label(chat)), result.stderr());
        assertFalse(Files.exists(dir.resolve(fixture.fileOf(chat))));
    }

    @Test
    void aFailureAfterTheAnswerCameDoesNotStartTheCountOver() {
        // The call-claude-api route clears Camel's counter once an answer came; a parse or write failing
        // after it must still count against the same request.
        RetryPolicy policy = new RetryPolicy(2, java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(1),
                new dev.claudebackup.report.Console(System.out, System.err, true));
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        exchange.setProperty("apiPath", "/api/organizations/x/chat_conversations?limit=100&offset=0");
        int retried = 0;
        for (int i = 0; i < 10; i++) {
            exchange.getIn().removeHeaders("CamelRedelivery*");
            exchange.getIn().setHeader(org.apache.camel.Exchange.REDELIVERY_COUNTER, 1);
            exchange.setException(new TransientApiException(200, "a page that failed after it came", null));
            policy.process(exchange);
            if (exchange.getIn().getHeader(org.apache.camel.Exchange.REDELIVERY_DELAY) == null) {
                break;
            }
            retried++;
        }
        assertEquals(2, retried);
    }
}
