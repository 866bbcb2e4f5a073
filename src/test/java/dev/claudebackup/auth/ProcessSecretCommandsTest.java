package dev.claudebackup.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProcessSecretCommandsTest {

    private final SecretCommands commands = new ProcessSecretCommands(Duration.ofMillis(500));

    @BeforeEach
    void needsUnixTools() {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a Unix system");
    }

    @Test
    void returnsTrimmedOutput() {
        assertEquals(Optional.of("fake-keyring-password"), commands.run(List.of("echo", "  fake-keyring-password  ")));
    }

    @Test
    void noShellIsInvolved() {
        assertEquals(Optional.of("$HOME; true"), commands.run(List.of("echo", "$HOME; true")));
    }

    @Test
    void failureMissingCommandAndTimeoutGiveNothing() {
        assertEquals(Optional.empty(), commands.run(List.of("false")));
        assertEquals(Optional.empty(), commands.run(List.of("claude-backup-no-such-command")));
        long start = System.nanoTime();
        assertEquals(Optional.empty(), commands.run(List.of("sleep", "10")));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "the timeout stops the command");
    }
}
