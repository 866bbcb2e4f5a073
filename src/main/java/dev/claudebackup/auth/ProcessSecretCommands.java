package dev.claudebackup.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@link SecretCommands} with real processes, started directly (no shell) and killed at the timeout. */
final class ProcessSecretCommands implements SecretCommands {

    private final Duration timeout;

    ProcessSecretCommands(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Optional<String> run(List<String> command) {
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | RuntimeException notStarted) {
            return Optional.empty(); // not installed, or not runnable
        }
        try {
            process.getOutputStream().close(); // nothing to say; a command waiting for input ends now
            // Waiting before reading is safe: a password is far smaller than the pipe buffer,
            // so the command cannot block on a full pipe.
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
            if (process.exitValue() != 0) {
                return Optional.empty();
            }
            try (InputStream out = process.getInputStream()) {
                return Optional.of(new String(out.readAllBytes(), StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            process.destroyForcibly();
        }
    }
}
