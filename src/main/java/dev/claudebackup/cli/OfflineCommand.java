package dev.claudebackup.cli;

import java.util.Map;

import dev.claudebackup.report.Console;

/**
 * A subcommand that works on a backup already on disk (render, search, serve, verify): a picocli
 * {@code @Command} with a {@code @Mixin BackupDirOption}, registered in {@link ClaudeBackup#SUBCOMMANDS}.
 * It never needs the session key and never talks to claude.ai.
 */
public interface OfflineCommand {

    /**
     * @return the process's exit status (each command documents its own; 2 is always bad usage)
     */
    int run(Map<String, String> environment, Console console) throws Exception;
}
