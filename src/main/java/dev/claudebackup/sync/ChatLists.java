package dev.claudebackup.sync;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import org.apache.camel.Exchange;

import dev.claudebackup.api.ApiPaths;
import dev.claudebackup.api.ApiResponses;
import dev.claudebackup.api.NotFoundException;
import dev.claudebackup.report.Console;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.OrganizationFolders;
import dev.claudebackup.store.SavedChats;

/**
 * What the organization routes call: the accounts's organizations, each one's folder and chat list,
 * and the list saved at the end. Each method reads and writes the exchange properties
 * {@code organizationBackup} and {@code backupRun}.
 */
public final class ChatLists {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ApiPaths paths;
    private final ApiResponses responses;
    private final OrganizationFolders folders;
    private final SavedChats savedChats;
    private final BackupFolder backup;
    private final Console console;
    private final int pageSize;
    private final boolean ignoreCache;

    public ChatLists(ApiPaths paths, ApiResponses responses, OrganizationFolders folders, SavedChats savedChats,
                     BackupFolder backup, Console console, int pageSize, boolean ignoreCache) {
        this.paths = paths;
        this.responses = responses;
        this.folders = folders;
        this.savedChats = savedChats;
        this.backup = backup;
        this.console = console;
        this.pageSize = pageSize;
        this.ignoreCache = ignoreCache;
    }

    /** The account's organizations that have chats; console-only (API) workspaces are skipped. */
    public List<Organization> organizations(Exchange exchange) throws IOException {
        List<Organization> withChats = new ArrayList<>();
        for (JsonNode membership : responses.json(exchange).path("memberships")) {
            JsonNode node = membership.path("organization");
            Organization organization;
            try {
                organization = Organization.of(node);
            } catch (IllegalArgumentException noUuid) {
                console.error("Skipping an organization: " + noUuid.getMessage());
                run(exchange).failed(new BackupRun.Failure(null, null, node.path("name").asText(""), noUuid.getMessage()));
                continue;
            }
            if (organization.hasChats()) {
                withChats.add(organization);
            } else {
                console.info("Skipping organization " + organization.label() + " without \"chat\" capability");
            }
        }
        return withChats;
    }

    /** Prepares the organization's folder and its pager. */
    public void begin(Exchange exchange) throws IOException {
        Organization organization = exchange.getMessage().getBody(Organization.class);
        console.info("Fetching chats for organization " + organization.label());
        String folder = folders.prepare(organization);
        Map<String, String> chatFiles = folders.chatFiles(folder);
        folders.adopt(organization, folder, chatFiles);
        boolean earlyStop = !ignoreCache && savedChats.isComplete(organization.uuid());
        savedChats.organizationStarted(organization.uuid(), folder);
        ChatListPager pager = new ChatListPager(pageSize, earlyStop, entry -> !ignoreCache
                && savedChats.contains(SavedChats.key(entry.path("uuid").asText(""), entry.path("updated_at").asText(""))));
        run(exchange).organizationBegun(organization);
        exchange.setProperty(Organization.PROPERTY, organization);
        exchange.setProperty(OrganizationBackup.PROPERTY, new OrganizationBackup(organization, folder, chatFiles, pager));
    }

    public boolean wantsMore(Exchange exchange) {
        return !run(exchange).isAborted() && organization(exchange).chatList().wantsMore();
    }

    /** Sets {@code apiPath} to the next page of the list. */
    public void nextPage(Exchange exchange) {
        OrganizationBackup organization = organization(exchange);
        ChatListPager pager = organization.chatList();
        exchange.setProperty("apiPath", paths.chatList(organization.organization(), pager.usesV2(), pager.limit(), pager.offset()));
        exchange.setProperty("apiWhat", "the chat list of " + organization.organization().label());
    }

    public void acceptPage(Exchange exchange) throws IOException {
        organization(exchange).chatList().accept(responses.json(exchange));
    }

    /** The v1 list answered 404: claude.ai moved to the v2 list, whose answer is {data, has_more}. */
    public void switchToV2(Exchange exchange) {
        ChatListPager pager = organization(exchange).chatList();
        if (pager.usesV2()) {
            throw exchange.getProperty(Exchange.EXCEPTION_CAUGHT, NotFoundException.class);
        }
        console.info("The chat list answered 404; using the v2 chat list");
        pager.switchToV2();
    }

    /** The chats to pass to the Idempotent Consumer; entries without a canonical uuid are reported and skipped. */
    public List<ChatRef> chats(Exchange exchange) {
        OrganizationBackup organization = organization(exchange);
        List<ChatRef> chats = new ArrayList<>();
        for (JsonNode entry : organization.chatList().entries()) {
            try {
                chats.add(ChatRef.of(organization.organization(), entry));
            } catch (IllegalArgumentException noUuid) {
                console.error("Skipping a chat: " + noUuid.getMessage());
                run(exchange).failed(new BackupRun.Failure(organization.organization().label(), null,
                        entry.path("name").asText(""), noUuid.getMessage()));
            }
        }
        return chats;
    }

    /**
     * The list to save as {@code chat_conversations.json}: the API's when it was read to the end;
     * after an early stop, the entries read now followed by the earlier saved ones not among them.
     */
    public byte[] savedList(Exchange exchange) throws IOException {
        OrganizationBackup organization = organization(exchange);
        ChatListPager pager = organization.chatList();
        ArrayNode list = MAPPER.createArrayNode();
        pager.entries().forEach(list::add);
        if (!pager.readToEnd()) {
            var seen = new java.util.HashSet<String>();
            pager.entries().forEach(entry -> seen.add(entry.path("uuid").asText("")));
            var earlier = backup.resolve(organization.chatListFile());
            if (java.nio.file.Files.isRegularFile(earlier)) {
                for (JsonNode entry : MAPPER.readTree(earlier.toFile())) {
                    if (seen.add(entry.path("uuid").asText(""))) {
                        list.add(entry);
                    }
                }
            }
        }
        exchange.getMessage().setHeader(Exchange.FILE_NAME, organization.chatListFile());
        return MAPPER.writeValueAsBytes(list);
    }

    /**
     * Ends the organization's part of the run. It counts as finished, which allows the next run to stop
     * paging early, only when its list was read and every chat in it was saved.
     */
    public void finish(Exchange exchange) {
        OrganizationBackup organization = organization(exchange);
        BackupRun run = run(exchange);
        String label = organization.organization().label();
        ChatListPager pager = organization.chatList();
        boolean listRead = !pager.wantsMore();
        if (listRead && !run.isAborted() && run.failures().stream().noneMatch(f -> label.equals(f.organization()))) {
            savedChats.organizationFinished(organization.organization().uuid());
        }
        int changed = run.count(label, BackupRun.Outcome.NEW) + run.count(label, BackupRun.Outcome.UPDATED)
                + run.count(label, BackupRun.Outcome.RENAMED);
        run.add(label, BackupRun.Outcome.UNCHANGED, Math.max(0, savedChats.chatCount(organization.organization().uuid()) - changed));
        if (pager.readToEnd()) {
            var listed = new java.util.HashSet<String>();
            pager.entries().forEach(entry -> listed.add(entry.path("uuid").asText("")));
            run.listedInFull(organization.organization().uuid(), listed);
        }
    }

    private static OrganizationBackup organization(Exchange exchange) {
        return exchange.getProperty(OrganizationBackup.PROPERTY, OrganizationBackup.class);
    }

    private static BackupRun run(Exchange exchange) {
        return exchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
    }
}
