package dev.claudebackup.cli;

import java.util.Map;

import dev.claudebackup.cli.Configuration.ConfigurationException;
import dev.claudebackup.report.Console;

/** Finds the session key for the command; it is returned, never printed or stored. */
final class SessionKeys {

    static final String ENVIRONMENT = "CLAUDE_SESSION_KEY";

    private SessionKeys() {
    }

    static String find(BackupCommand command, Map<String, String> environment, Console console) throws ConfigurationException {
        String key = environment.get(ENVIRONMENT);
        if (key != null && !key.isBlank()) {
            return key.trim();
        }
        throw new ConfigurationException("""
                No session key. claude-backup needs your claude.ai sessionKey cookie:
                  1. Sign in to https://claude.ai in your browser.
                  2. Open Developer tools > Application (Storage in Firefox) > Cookies > https://claude.ai.
                  3. Copy the value of sessionKey (it starts with sk-ant-sid).
                  4. Pass it without it landing in your shell history, e.g.
                       CLAUDE_SESSION_KEY="$(wl-paste)" claude-backup      (or xclip -o, pbpaste)
                     or put it in a file only you can read and use --session-key-file FILE.""");
    }
}
