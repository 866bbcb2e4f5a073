package dev.claudebackup.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import dev.claudebackup.api.ApiJson;
import dev.claudebackup.api.ApiPaths;
import dev.claudebackup.api.ApiResponses;
import dev.claudebackup.report.Console;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.OrganizationFolders;
import dev.claudebackup.store.SavedChats;

/**
 * What the organization routes call: the account's organizations, each one's folder and chat list,
 * and the list saved at the end. Each method reads and writes the exchange properties
 * {@code organizationBackup} and {@code backupRun}.
 */
public final class ChatLists {

    private static final ObjectMapper MAPPER = ApiJson.mapper();

    private final ApiPaths paths;
    private final ApiResponses responses;
    private final OrganizationFolders folders;
    private final SavedChats savedChats;
    private final BackupFolder backup;
    private final Console console;
    private final int pageSize;
    private final boolean ignoreCache;
    /** backup.max-list-entries; 0: ten times the organization's chats saved so far, plus 10,000. */
    private final int maxListEntries;
    /** Reads each organization's next list page while its chats are fetched; daemons, so it never holds the JVM. */
    private final ExecutorService pageReader = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "chat-list-reader");
        thread.setDaemon(true);
        return thread;
    });
    private volatile ProducerTemplate template;

    public ChatLists(ApiPaths paths, ApiResponses responses, OrganizationFolders folders, SavedChats savedChats,
                     BackupFolder backup, Console console, int pageSize, boolean ignoreCache) {
        this(paths, responses, folders, savedChats, backup, console, pageSize, ignoreCache, 0);
    }

    public ChatLists(ApiPaths paths, ApiResponses responses, OrganizationFolders folders, SavedChats savedChats,
                     BackupFolder backup, Console console, int pageSize, boolean ignoreCache, int maxListEntries) {
        this.maxListEntries = maxListEntries;
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
        Set<String> met = new HashSet<>();
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
            if (!met.add(organization.uuid())) {
                // listed twice (in two memberships): backed up once, or its folder is renamed back and forth
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
        // Read before the organization is marked as begun: only a finished previous run allows an early stop.
        boolean earlyStop = !ignoreCache && savedChats.isComplete(organization.uuid());
        boolean v2 = savedChats.isChatListRetired(organization.uuid(), v1ListPath(organization));
        savedChats.organizationStarted(organization.uuid(), folder, organization.name());
        // a list that never ends (a broken or hostile server) must not hold the run, and its lock, forever
        int maxEntries = maxListEntries > 0 ? maxListEntries
                : (int) Math.min(Integer.MAX_VALUE, 10L * savedChats.chatCount(organization.uuid()) + 10_000);
        // an entry without updated_at never shows where the last run's work starts: it may have changed
        ChatListPager pager = new ChatListPager(pageSize, earlyStop,
                entry -> !entry.path("updated_at").asText("").isBlank()
                        && savedChats.contains(SavedChats.key(entry.path("uuid").asText(""), entry.path("updated_at").asText(""))), v2,
                maxEntries);
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
        exchange.setProperty(ApiResponses.EXPECT_PROPERTY, "list");
    }

    public void acceptPage(Exchange exchange) throws IOException {
        organization(exchange).chatList().accept(responses.json(exchange));
    }

    /**
     * The {@code retryWhile} of a 404 from the chat list. The first one means claude.ai retired the v1
     * list: the pager switches to the v2 list, whose answer is {data, has_more}, and the page is asked
     * again at once (the retry repeats the page's route, which asks the pager; this organization's later
     * runs start there). A 404 from the v2 list is not retried.
     */
    public boolean listMovedToV2(Exchange exchange) {
        OrganizationBackup organization = organization(exchange);
        if (organization == null || organization.chatList().usesV2()) {
            return false;
        }
        console.info("The chat list of " + organization.organization().label() + " answered 404; using the v2 chat list");
        organization.chatList().switchToV2();
        savedChats.chatListRetired(organization.organization().uuid(), v1ListPath(organization.organization()));
        return true;
    }

    /** The first page's v1 path: it names the configured path, so a path changed by the user is tried again. */
    private String v1ListPath(Organization organization) {
        return paths.chatList(organization, false, pageSize, 0);
    }

    /**
     * The chats to pass to the Idempotent Consumer, as the list's pages come in (see {@link ListedChats}):
     * entries without a canonical uuid are reported and skipped. Once the list is read, the progress
     * display learns how many the Idempotent Consumer will let through (not saved at this version).
     */
    public Iterator<ChatRef> chats(Exchange exchange) {
        OrganizationBackup organization = organization(exchange);
        String label = organization.organization().label();
        int[] toFetch = {0};
        return new ListedChats(exchange, organization.chatList(), template(exchange), "direct:read-chat-list", pageReader,
                this::wantsMore,
                entry -> {
                    try {
                        ChatRef chat = ChatRef.of(organization.organization(), entry);
                        if (!chat.isDated() && run(exchange).firstUndatedEntry()) {
                            console.info("The chat list of " + label + " gives chats without updated_at: each of them is fetched"
                                    + " every run, and written only when its content changed");
                        }
                        if (!savedChats.contains(chat.idempotencyKey())) {
                            toFetch[0]++;
                        }
                        return chat;
                    } catch (IllegalArgumentException noUuid) {
                        console.error("Skipping a chat: " + noUuid.getMessage());
                        run(exchange).failed(new BackupRun.Failure(label, null, entry.path("name").asText(""), noUuid.getMessage()));
                        return null;
                    }
                },
                () -> run(exchange).chatsToFetch(label, toFetch[0]));
    }

    private ProducerTemplate template(Exchange exchange) {
        ProducerTemplate current = template;
        if (current == null) {
            synchronized (this) {
                if (template == null) {
                    template = exchange.getContext().createProducerTemplate();
                }
                current = template;
            }
        }
        return current;
    }

    /**
     * The list to save as {@code chat_conversations.json}: the API's when it was read to the end;
     * after an early stop, the entries read now followed by the earlier saved ones not among them; null
     * when those are the saved list as it is (a run with nothing new).
     */
    public byte[] savedList(Exchange exchange) throws IOException {
        OrganizationBackup organization = organization(exchange);
        ChatListPager pager = organization.chatList();
        ArrayNode list = MAPPER.createArrayNode();
        Set<String> listed = new HashSet<>();
        for (JsonNode entry : pager.entries()) {
            list.add(entry);
            listed.add(entry.path("uuid").asText(""));
        }
        exchange.getMessage().setHeader(Exchange.FILE_NAME, organization.chatListFile());
        if (!pager.readToEnd()) {
            JsonNode earlier = earlierList(organization);
            if (startsWith(earlier, list)) {
                return null; // the list read is the saved list's beginning, as it is: the file stays as it is
            }
            for (JsonNode entry : earlier.isArray() ? earlier : earlier.path("data")) {
                if (listed.add(entry.path("uuid").asText(""))) {
                    list.add(entry);
                }
            }
        }
        return MAPPER.writeValueAsBytes(list);
    }

    /** Whether the saved list (an array) begins with exactly these entries, in this order. */
    private static boolean startsWith(JsonNode saved, ArrayNode entries) {
        if (!saved.isArray() || saved.size() < entries.size()) {
            return false;
        }
        for (int i = 0; i < entries.size(); i++) {
            if (!saved.get(i).equals(entries.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The list saved by an earlier run (an array, or an object with a data array); none when it is missing or unreadable (it is only a convenience). */
    private JsonNode earlierList(OrganizationBackup organization) {
        Path earlier = backup.resolve(organization.chatListFile());
        if (Files.isRegularFile(earlier)) {
            try {
                return MAPPER.readTree(earlier.toFile());
            } catch (IOException unreadable) {
                console.error("Cannot read " + earlier + " (" + unreadable.getMessage() + "); it is written anew");
            }
        }
        return MAPPER.missingNode();
    }

    /**
     * Ends the organization's part of the run. It counts as finished, which allows the next run to stop
     * paging early, only when its list was read and every chat in it was saved.
     */
    public void finish(Exchange exchange) {
        savedChats.commit(); // the organization's chats recorded (and printed) before its projects
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
            Set<String> listed = new HashSet<>();
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
