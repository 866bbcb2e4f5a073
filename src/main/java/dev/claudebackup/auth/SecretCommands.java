package dev.claudebackup.auth;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The one place where external commands run: the desktop keyring ({@code secret-tool},
 * {@code kwallet-query}) and the macOS keychain ({@code security}). Tests replace it.
 */
public interface SecretCommands {

    /**
     * Runs the command (no shell) and returns its trimmed standard output, or empty when the
     * command is missing, exits with a failure status or times out.
     */
    Optional<String> run(List<String> command);

    /**
     * Runs real processes. The timeout is 30 s rather than a few seconds because the keychain or
     * keyring may ask the person to unlock it first, and they need time to answer the dialog.
     */
    static SecretCommands system() {
        return new ProcessSecretCommands(Duration.ofSeconds(30));
    }
}
