package dev.claudebackup.readable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import dev.claudebackup.cli.BackupDirOption;
import dev.claudebackup.cli.Configuration;
import dev.claudebackup.cli.OfflineCommand;
import dev.claudebackup.report.Console;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.RunLock;

/** {@code claude-backup render [--dir BACKUP_DIR]}: readable/ rebuilt from the JSON, without the network. */
@Command(name = "render", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Rebuilds the readable copy (readable/: every chat as Markdown and as a page, artifacts as files,"
                + " index.html) from the backup's JSON, without the network.", ""},
        footer = {"", "Exit status: 0 all rendered, 1 some chats could not be rendered, 2 bad usage, no backup, a backup running, or a symbolic link planted in the readable copy."},
        mixinStandardHelpOptions = false)
public final class RenderCommand implements OfflineCommand {

    @Mixin
    BackupDirOption backupDir;

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public int run(Map<String, String> environment, Console console) throws Exception {
        Path backup = backupDir.existingBackup(environment);
        Configuration configuration = backupDir.configuration(environment);
        BackupFolder folder = new BackupFolder(backup);
        ReadableCopy copy = new ReadableCopy(folder.root(), configuration.get("readable.dir"), console);
        int failed;
        // never beside a backup run, which renders too: the same lock verify takes
        try (RunLock lock = Files.isDirectory(folder.stateFolder()) ? RunLock.acquire(folder.stateFolder()) : null) {
            failed = copy.rebuild();
        } catch (RunLock.AlreadyRunningException | BackupFolder.PlantedLinkException stop) {
            console.error(stop.getMessage());
            return 2;
        }
        console.info("Rendered " + copy.chatsRendered() + " chats into " + copy.root() + (failed == 0 ? "" : " (" + failed + " failed)"));
        return failed == 0 ? 0 : 1;
    }
}
