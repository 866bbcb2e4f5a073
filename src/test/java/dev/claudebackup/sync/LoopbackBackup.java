package dev.claudebackup.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;

/**
 * A backup folder and the loopback API it is made from, with a small page size (set the way a user
 * would, with {@code --config}), so that tests can count requests page by page.
 */
public final class LoopbackBackup implements AutoCloseable {

    public final SampleAccount account;
    public final FakeClaudeApi api;
    public final Path dir;
    public final String main;
    public final String side;
    private final Path config;

    private LoopbackBackup(SampleAccount account, Path workDir, int pageSize) throws IOException {
        this.account = account;
        this.api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY);
        this.dir = workDir.resolve("backup");
        this.config = workDir.resolve("claude-backup.properties");
        Files.writeString(config, "# a page size small enough to count pages\nclaude.api.page-size=" + pageSize + "\n");
        this.main = account.organizations().get(0).uuid();
        this.side = account.organizations().get(1).uuid();
    }

    /**
     * An account of three organizations: "Main" and "Side" with this many chats (a few of them
     * branched), and a console-only one without chats.
     */
    public static LoopbackBackup start(Path workDir, int pageSize, int mainChats, int sideChats) throws IOException {
        SampleAccount account = new SampleAccount();
        String main = account.addOrganization("Main", "chat", "claude_pro").uuid();
        String side = account.addOrganization("Side", "chat", "claude_team").uuid();
        account.addOrganization("Console", "api");
        for (int i = 0; i < mainChats; i++) {
            account.addChat(main, "Main chat " + i, 1 + i % 3, i % 4 == 0);
        }
        for (int i = 0; i < sideChats; i++) {
            account.addChat(side, "Side chat " + i, 2, i % 2 == 0);
        }
        return new LoopbackBackup(account, workDir, pageSize);
    }

    /** One run of the real command, from a clean request log. */
    public BackupRunner.Result run(String... extraArgs) {
        api.clearRequests();
        List<String> args = new ArrayList<>(List.of("--config", config.toString()));
        args.addAll(List.of(extraArgs));
        return BackupRunner.backup(api, dir, args.toArray(String[]::new));
    }

    public ApiCalls calls() {
        return ApiCalls.of(api);
    }

    /** The chat's uuid at this place in the organization's list (0: most recently updated). */
    public String chatAt(String organization, int position) {
        return account.chatList(organization).get(position).uuid();
    }

    public Path folder(String organization) {
        SampleAccount.Organization found = account.organization(organization);
        return dir.resolve("organizations").resolve(ChatFileNamer.slug(found.name(), found.uuid()));
    }

    public Path chatFile(String organization, String chat) {
        SampleAccount.Chat found = account.chat(organization, chat);
        return folder(organization).resolve("chat_conversations").resolve(ChatFileNamer.jsonFileName(found.name(), found.uuid()));
    }

    /** Every chat claude.ai has now is in its file exactly as the API answers it, and no uuid has two files. */
    public void assertHoldsEveryChat() throws IOException {
        for (SampleAccount.Organization organization : account.organizations()) {
            if (organization.capabilities().contains("chat")) {
                for (SampleAccount.Chat chat : account.chatList(organization.uuid())) {
                    Path file = chatFile(organization.uuid(), chat.uuid());
                    assertTrue(Files.isRegularFile(file), "missing " + file);
                    assertArrayEquals(chat.json(), Files.readAllBytes(file), "not as the API answers it: " + file);
                }
            }
        }
        assertOneFilePerChat();
    }

    public void assertOneFilePerChat() throws IOException {
        Map<String, String> byUuid = new HashMap<>();
        for (String path : BackupTree.chatFiles(dir).keySet()) {
            String uuid = ChatFileNamer.uuidOf(Path.of(path).getFileName().toString()).orElseThrow();
            String other = byUuid.put(uuid, path);
            assertTrue(other == null, "two files for one chat: " + other + " and " + path);
        }
    }

    @Override
    public void close() {
        api.close();
    }
}
