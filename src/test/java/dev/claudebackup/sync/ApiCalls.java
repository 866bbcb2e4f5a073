package dev.claudebackup.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.claudebackup.demo.FakeClaudeApi;

/** What a run asked the loopback API, sorted by kind, for counting requests exactly. */
public final class ApiCalls {

    private static final Pattern LIST = Pattern.compile("/api/organizations/([^/]+)/chat_conversations(_v2)?");
    private static final Pattern CHAT = Pattern.compile("/api/organizations/([^/]+)/chat_conversations/([^/]+)");

    private final List<FakeClaudeApi.Request> requests;

    private ApiCalls(List<FakeClaudeApi.Request> requests) {
        this.requests = requests;
    }

    public static ApiCalls of(FakeClaudeApi api) {
        return new ApiCalls(api.requests());
    }

    public int total() {
        return requests.size();
    }

    public int account() {
        return (int) requests.stream().filter(request -> request.path().equals("/api/account")).count();
    }

    /** The organization's v1 list requests as "offset+limit", in order. */
    public List<String> v1Lists(String organizationUuid) {
        return lists(organizationUuid, false);
    }

    /** The organization's v2 list requests as "offset+limit", in order. */
    public List<String> v2Lists(String organizationUuid) {
        return lists(organizationUuid, true);
    }

    /** The uuids of the chats fetched, in order, a chat twice if it was fetched twice. */
    public List<String> chats() {
        List<String> chats = new ArrayList<>();
        for (FakeClaudeApi.Request request : requests) {
            Matcher chat = CHAT.matcher(request.path());
            if (chat.matches()) {
                chats.add(chat.group(2));
            }
        }
        return chats;
    }

    /** Every chat request carried the query that asks for every branch. */
    public boolean chatsAskedWithEveryBranch() {
        return requests.stream().filter(request -> CHAT.matcher(request.path()).matches())
                .allMatch(request -> "True".equals(request.query().get("tree")));
    }

    private List<String> lists(String organizationUuid, boolean v2) {
        List<String> pages = new ArrayList<>();
        for (FakeClaudeApi.Request request : requests) {
            Matcher list = LIST.matcher(request.path());
            if (list.matches() && list.group(1).equals(organizationUuid) && (list.group(2) != null) == v2) {
                pages.add(request.query().get("offset") + "+" + request.query().get("limit"));
            }
        }
        return pages;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        requests.forEach(request -> text.append(request.path()).append(' ').append(request.query()).append('\n'));
        return text.toString();
    }
}
