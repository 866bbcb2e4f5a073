package dev.claudebackup.extras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/** routes/extras/email.camel.yaml against GreenMail's SMTP server on loopback, switched on by a --config file. */
class EmailSummaryTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PASSWORD = "fake-smtp-password-0000";

    @RegisterExtension
    GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("backup@example.org", "mailer", PASSWORD));

    @TempDir
    Path dir;
    FakeClaudeApi api;
    SampleAccount account;
    Path backup;
    Path config;

    @BeforeEach
    void start() throws Exception {
        account = FakeClaudeApi.demoAccount();
        api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY);
        backup = dir.resolve("backup");
        config = dir.resolve("claude-backup.properties");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aGoodRunSendsItsSummaryToEveryRecipient() throws Exception {
        configure("");

        BackupRunner.Result result = BackupRunner.backup(api, backup, "--config", config.toString());

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        MimeMessage[] received = smtp.getReceivedMessages();
        assertEquals(2, received.length, "one copy per recipient");
        MimeMessage mail = received[0];
        assertEquals(Set.of("alice@example.org", "bob@example.org"), addresses(mail.getRecipients(Message.RecipientType.TO)));
        assertEquals(Set.of("claude-backup <backup@example.org>"), addresses(mail.getFrom()));
        assertEquals("claude-backup: backup complete, 9 new, 0 updated", mail.getSubject());
        assertTrue(mail.getContentType().startsWith("text/plain"), mail.getContentType());
        String text = GreenMailUtil.getBody(mail).replace("\r\n", "\n");
        assertTrue(text.startsWith("The backup of " + backup.toAbsolutePath() + " finished with exit status 0: every chat saved.\n"), text);
        assertTrue(text.contains("Chats: 9 new, 0 updated, 0 renamed, 0 unchanged, 0 failed, 0 deleted on claude.ai"), text);
        assertTrue(text.contains("Duration: "), text);
        assertTrue(text.contains("  Personal (" + account.organizations().get(0).uuid() + "): 7 new"), text);
        assertFalse(text.contains("Failures"), text);
    }

    @Test
    void aFailingRunSaysWhichChatsFailedAndWhy() throws Exception {
        configure("");
        SampleAccount.Chat broken = failForGood("falafel");

        BackupRunner.Result result = BackupRunner.backup(api, backup, "--config", config.toString(), "--retries", "1");

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertEquals("claude-backup: backup incomplete, 1 failed", mail.getSubject());
        String text = GreenMailUtil.getBody(mail).replace("\r\n", "\n");
        assertTrue(text.contains("finished with exit status 1: some chats or files could not be saved or copied"), text);
        assertTrue(text.contains("Failures (1):\n  - Personal (" + account.organizations().get(0).uuid() + "): chat \""
                + broken.name() + "\" (" + broken.uuid() + "): HTTP 500"), text);
    }

    @Test
    void onlyOnFailureSendsNothingAfterAGoodRun() throws Exception {
        configure("extras.email.only-on-failure=true\n");

        BackupRunner.Result good = BackupRunner.backup(api, backup, "--config", config.toString());

        assertEquals(ExitStatus.OK, good.status(), good.toString());
        assertEquals(0, smtp.getReceivedMessages().length);

        failForGood("parser");
        account.updateChat(account.organizations().get(1).uuid(), account.chatList(account.organizations().get(1).uuid()).stream()
                .filter(chat -> chat.name().contains("parser")).findFirst().orElseThrow().uuid());
        BackupRunner.Result failed = BackupRunner.backup(api, backup, "--config", config.toString(), "--retries", "1");

        assertEquals(ExitStatus.SOME_FAILED, failed.status(), failed.toString());
        assertEquals(2, smtp.getReceivedMessages().length, "after the failed run, one per recipient");
        assertEquals("claude-backup: backup incomplete, 1 failed", smtp.getReceivedMessages()[0].getSubject());
    }

    @Test
    void aMailThatCannotBeSentFailsTheRunWithoutShowingThePassword() throws Exception {
        configure("extras.email.password=not-the-right-one-1234\n");

        BackupRunner.Result result = BackupRunner.backup(api, backup, "--config", config.toString(), "--verbose");

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertEquals(0, smtp.getReceivedMessages().length);
        assertTrue(result.stderr().contains("Could not send the run's summary by email: AuthenticationFailedException"), result.stderr());
        JsonNode report = MAPPER.readTree(backup.resolve(".claude-backup/last-run.json").toFile());
        assertEquals("email-run-summary", report.path("failures").get(0).path("name").asText(), report.toPrettyString());
        assertFalse(result.stderr().contains("not-the-right-one-1234") || result.stdout().contains("not-the-right-one-1234"),
                "the password is never shown");
    }

    @Test
    void starttlsIsRequiredWhenSwitchedOn() throws Exception {
        configure("extras.email.starttls=true\n");

        BackupRunner.Result result = BackupRunner.backup(api, backup, "--config", config.toString());

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertTrue(result.stderr().contains("STARTTLS"), "GreenMail's SMTP has no STARTTLS, so nothing is sent in clear: "
                + result.stderr());
        assertEquals(0, smtp.getReceivedMessages().length);
    }

    /** The properties of the example in the README; GreenMail's SMTP has no STARTTLS, so it is off but where a test says. */
    private void configure(String more) throws Exception {
        Files.writeString(config, "extras.email.enabled=true\n"
                + "extras.email.to=alice@example.org, bob@example.org\n"
                + "extras.email.from=claude-backup <backup@example.org>\n"
                + "extras.email.host=127.0.0.1\n"
                + "extras.email.port=" + smtp.getSmtp().getPort() + "\n"
                + "extras.email.starttls=false\n"
                + "extras.email.user=mailer\n"
                + "extras.email.password=" + PASSWORD + "\n"
                + more);
    }

    /** Every fetch of the chat whose name holds this answers 500. */
    private SampleAccount.Chat failForGood(String name) {
        SampleAccount.Chat chat = account.organizations().stream().flatMap(org -> account.chatList(org.uuid()).stream())
                .filter(c -> c.name().contains(name)).findFirst().orElseThrow();
        api.intercept(request -> request.path().endsWith("/" + chat.uuid())
                ? Optional.of(FakeClaudeApi.Response.json(500, "{}")) : Optional.empty());
        return chat;
    }

    private static Set<String> addresses(Address[] addresses) {
        return Arrays.stream(addresses).map(Address::toString).collect(Collectors.toSet());
    }
}
