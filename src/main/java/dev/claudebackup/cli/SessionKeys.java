package dev.claudebackup.cli;

import java.nio.file.Path;
import java.util.Map;

import dev.claudebackup.auth.SecretCommands;
import dev.claudebackup.auth.SessionKey;
import dev.claudebackup.auth.SessionKeyLocator;
import dev.claudebackup.auth.SessionKeyNotFoundException;
import dev.claudebackup.cli.Configuration.ConfigurationException;
import dev.claudebackup.report.Console;

/** Finds the session key for the command; it is returned, never printed or stored. */
final class SessionKeys {

    private SessionKeys() {
    }

    static String find(BackupCommand command, Map<String, String> environment, boolean verbose, Console console)
            throws ConfigurationException {
        String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
        SessionKeyLocator locator = new SessionKeyLocator(environment, Path.of(home), System.getProperty("os.name"),
                SecretCommands.system(), warning -> console.error("warning: " + warning));
        try {
            SessionKey key = locator.locate(command.sessionKeyFile, command.browser);
            if (verbose) {
                console.info("Session key from " + key.source());
            }
            return key.value();
        } catch (SessionKeyNotFoundException | IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }
}
