package dev.claudebackup.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.FakeClaudeApi.Request;
import dev.claudebackup.demo.FakeClaudeApi.Response;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.testing.BackupRunner;

/**
 * A small account on the loopback API, and the faults the tests inject into it: which requests are
 * answered with what, how often, and what the server saw.
 */
final class ApiFixture implements AutoCloseable {

    static final String ACCOUNT_PATH = "/api/account";

    final SampleAccount account = new SampleAccount();
    final SampleAccount.Organization organization;
    final List<SampleAccount.Chat> chats;
    final FakeClaudeApi api;
    /** The environment of the runs: the test key, a HOME without browsers; tests may add to it. */
    final Map<String, String> environment = new HashMap<>(BackupRunner.environment());

    /** One organization with {@code chatCount} chats. */
    ApiFixture(int chatCount) throws IOException {
        organization = account.addOrganization("Personal", "chat", "claude_pro");
        for (int i = 0; i < chatCount; i++) {
            account.addChat(organization.uuid(), "Chat number " + i, 1 + i % 3, i % 2 == 0);
        }
        chats = account.chatList(organization.uuid());
        api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY);
    }

    /**
     * Backs up into {@code dir} like {@link BackupRunner#backup}: no success delay, tiny retry delays,
     * each of which {@code options} may set otherwise ({@code "--retries", "2"}, ...).
     */
    BackupRunner.Result backup(Path dir, String... options) {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("--base-url", api.baseUrl());
        given.put("--success-delay", "0");
        given.put("--min-retry-delay", "0.01");
        given.put("--max-retry-delay", "0.05");
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < options.length; i++) {
            if (options[i].startsWith("--") && i + 1 < options.length && !options[i + 1].startsWith("--")) {
                given.put(options[i], options[++i]);
            } else {
                flags.add(options[i]);
            }
        }
        List<String> args = new ArrayList<>(flags);
        given.forEach((option, value) -> args.addAll(List.of(option, value)));
        args.add(dir.toString());
        return BackupRunner.run(environment, args.toArray(String[]::new));
    }

    SampleAccount.Chat chat(int index) {
        return chats.get(index);
    }

    /** As messages name a chat: its name and uuid. */
    static String label(SampleAccount.Chat chat) {
        return (chat.name().isBlank() ? "(no name)" : chat.name()) + " (" + chat.uuid() + ")";
    }

    /** Where the chat's file is, relative to the backup folder. */
    String fileOf(SampleAccount.Chat chat) {
        return "organizations/" + ChatFileNamer.slug(organization.name(), organization.uuid()) + "/chat_conversations/"
                + ChatFileNamer.jsonFileName(chat.name(), chat.uuid());
    }

    static Predicate<Request> chatRequest(SampleAccount.Chat chat) {
        return request -> request.path().endsWith("/chat_conversations/" + chat.uuid());
    }

    static Predicate<Request> anyChatRequest() {
        return request -> request.path().matches("/api/organizations/[^/]+/chat_conversations/[^/]+");
    }

    static Predicate<Request> listRequest() {
        return request -> request.path().matches("/api/organizations/[^/]+/chat_conversations(_v2)?");
    }

    static Predicate<Request> accountRequest() {
        return request -> request.path().equals(ACCOUNT_PATH);
    }

    /** The first {@code times} requests that match get {@code answer}; later ones are answered normally. */
    void failFirst(int times, Predicate<Request> which, Response answer) {
        AtomicInteger left = new AtomicInteger(times);
        api.intercept(request -> which.test(request) && left.getAndDecrement() > 0 ? Optional.of(answer) : Optional.empty());
    }

    /** The first {@code times} requests that match are answered (normally) only after {@code millis}. */
    void slowFirst(int times, Predicate<Request> which, long millis) {
        AtomicInteger left = new AtomicInteger(times);
        api.intercept(request -> {
            if (which.test(request) && left.getAndDecrement() > 0) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Optional.empty();
        });
    }

    /** Every request that matches gets {@code answer}. */
    void failAlways(Predicate<Request> which, Response answer) {
        api.intercept(request -> which.test(request) ? Optional.of(answer) : Optional.empty());
    }

    List<Request> requests(Predicate<Request> which) {
        return api.requests().stream().filter(which).toList();
    }

    /** Milliseconds between the starts of consecutive requests, as the server saw them. */
    static long[] gapsMillis(List<Request> requests) {
        long[] gaps = new long[Math.max(0, requests.size() - 1)];
        for (int i = 1; i < requests.size(); i++) {
            gaps[i - 1] = (requests.get(i).startedNanos() - requests.get(i - 1).startedNanos()) / 1_000_000;
        }
        return gaps;
    }

    static Response status(int status) {
        return Response.json(status, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"try later\"}}");
    }

    @Override
    public void close() {
        api.close();
    }
}
