package dev.claudebackup.api;

import org.apache.camel.Exchange;

import dev.claudebackup.sync.ChatRef;
import dev.claudebackup.sync.Organization;

/**
 * The paths of claude.ai's unofficial API, from properties, so a user can follow an API change without
 * a new release. {@code {org}}, {@code {chat}}, {@code {limit}} and {@code {offset}} are filled in here;
 * the uuids were checked to be canonical before they get this far.
 */
public final class ApiPaths {

    private final String account;
    private final String chatList;
    private final String chatListV2;
    private final String chatListQuery;
    private final String chat;
    private final String chatQuery;

    public ApiPaths(String account, String chatList, String chatListV2, String chatListQuery, String chat, String chatQuery) {
        this.account = account;
        this.chatList = chatList;
        this.chatListV2 = chatListV2;
        this.chatListQuery = chatListQuery;
        this.chat = chat;
        this.chatQuery = chatQuery;
    }

    public String account() {
        return account;
    }

    public String chatList(Organization organization, boolean v2, int limit, int offset) {
        String path = (v2 ? chatListV2 : chatList).replace("{org}", organization.uuid());
        String query = chatListQuery.replace("{limit}", Integer.toString(limit)).replace("{offset}", Integer.toString(offset));
        return query.isEmpty() ? path : path + "?" + query;
    }

    /**
     * The request for the chat in the body, as exchange properties for call-claude-api: its path
     * ({@code apiPath}), its name in messages ({@code apiWhat}), and the answer that may replace its
     * file: this chat's JSON ({@code apiExpect}, {@code apiExpectUuid}). One step instead of four setProperty
     * steps whose Simple expressions each introspected the chat anew.
     */
    public void chatRequest(Exchange exchange) {
        ChatRef chatRef = exchange.getMessage().getBody(ChatRef.class);
        exchange.setProperty("apiPath", chat(chatRef));
        exchange.setProperty("apiWhat", "chat " + chatRef.label());
        exchange.setProperty("apiExpect", "chat");
        exchange.setProperty("apiExpectUuid", chatRef.uuid());
    }

    public String chat(ChatRef chatRef) {
        String path = chat.replace("{org}", chatRef.organizationUuid()).replace("{chat}", chatRef.uuid());
        return chatQuery.isEmpty() ? path : path + "?" + chatQuery;
    }
}
