package dev.claudebackup.extras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;
import dev.claudebackup.testing.JarProcess;

/**
 * The packaged jar with all three extras switched on by environment variables alone, the secrets
 * among them: the routes are in the jar, and the shaded jar still finds the AWS SDK's HTTP client and
 * JavaMail's providers through their META-INF/services.
 */
class ExtrasJarIT {

    private static final String SMTP_PASSWORD = "fake-smtp-password-0000";

    @RegisterExtension
    GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("backup@example.org", "mailer", SMTP_PASSWORD));

    @TempDir
    Path dir;

    @Test
    void theJarRunsTheThreeExtrasFromEnvironmentVariables() throws Exception {
        try (FakeClaudeApi api = new FakeClaudeApi(FakeClaudeApi.demoAccount(), BackupRunner.SESSION_KEY);
             S3Server s3 = new S3Server()) {
            s3.createBucket("claude-backups");
            Map<String, String> environment = new HashMap<>(BackupRunner.environment());
            environment.putAll(Map.of(
                    "EXTRAS_S3_ENABLED", "true",
                    "EXTRAS_S3_BUCKET", "claude-backups",
                    "EXTRAS_S3_ENDPOINT", s3.endpoint(),
                    "EXTRAS_S3_PATH_STYLE", "true",
                    "EXTRAS_S3_ACCESS_KEY", S3Server.ACCESS_KEY,
                    "EXTRAS_S3_SECRET_KEY", S3Server.SECRET_KEY));
            environment.putAll(Map.of(
                    "EXTRAS_EMAIL_ENABLED", "true",
                    "EXTRAS_EMAIL_TO", "alice@example.org",
                    "EXTRAS_EMAIL_HOST", "127.0.0.1",
                    "EXTRAS_EMAIL_PORT", Integer.toString(smtp.getSmtp().getPort()),
                    "EXTRAS_EMAIL_STARTTLS", "false",
                    "EXTRAS_EMAIL_USER", "mailer",
                    "EXTRAS_EMAIL_PASSWORD", SMTP_PASSWORD,
                    "EXTRAS_GIT_ENABLED", "true"));
            Path backup = dir.resolve("backup");

            JarProcess jar = JarProcess.start(environment, dir, List.of(), "--base-url", api.baseUrl(), "--success-delay", "0",
                    "--verbose", backup.toString());
            int status = jar.waitFor(120);

            assertEquals(0, status, jar.stderr());
            BackupTree.files(backup).forEach((path, bytes) -> {
                if (!path.startsWith(".git/")) {
                    assertArrayEquals(bytes, s3.objects("claude-backups").get(path), path);
                }
            });
            assertEquals(1, smtp.getReceivedMessages().length);
            assertEquals("claude-backup: backup complete, 9 new, 0 updated", smtp.getReceivedMessages()[0].getSubject());
            try (Git git = Git.open(backup.toFile())) {
                assertTrue(git.log().call().iterator().next().getFullMessage().startsWith("Backup complete: 9 new"));
            }
            assertFalse(jar.stderr().contains(S3Server.SECRET_KEY), "the S3 secret key is never shown, even with --verbose");
            assertFalse(jar.stderr().contains(SMTP_PASSWORD), "the SMTP password is never shown, even with --verbose");
        }
    }
}
