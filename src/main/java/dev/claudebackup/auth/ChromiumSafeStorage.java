package dev.claudebackup.auth;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Asks the operating system's secret store for the password a Chromium-family browser encrypts
 * its cookies with ("Chrome Safe Storage"). Each command runs at most once, so the person sees
 * at most one keychain prompt per browser.
 */
final class ChromiumSafeStorage {

    private final SecretCommands commands;
    private final Map<List<String>, Optional<String>> answers = new HashMap<>();

    ChromiumSafeStorage(SecretCommands commands) {
        this.commands = commands;
    }

    Optional<String> macKeychain(Browser browser) {
        return ask(List.of("security", "find-generic-password", "-w", "-s", browser.macKeychainService()));
    }

    /** GNOME Keyring, KeePassXC and other Secret Service providers. */
    Optional<String> secretService(Browser browser) {
        return ask(List.of("secret-tool", "lookup", "application", browser.secretServiceApplication()));
    }

    Optional<String> kwallet(Browser browser) {
        return ask(List.of("kwallet-query", "-r", browser.kwalletEntry(), "-f", browser.kwalletFolder(), "kdewallet"))
                // kwallet-query reports a missing entry on stdout with a success status
                .filter(answer -> !answer.toLowerCase(Locale.ROOT).startsWith("failed to read"));
    }

    private Optional<String> ask(List<String> command) {
        return answers.computeIfAbsent(command, c -> commands.run(c).filter(answer -> !answer.isBlank()));
    }
}
