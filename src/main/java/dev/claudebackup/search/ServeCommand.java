package dev.claudebackup.search;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.claudebackup.cli.BackupDirOption;
import dev.claudebackup.cli.OfflineCommand;
import dev.claudebackup.report.Console;
import dev.claudebackup.readable.ReadableFolder;
import dev.claudebackup.store.BackupFolder;

/** {@code serve [--port 8080] [--bind ADDRESS]}: the readable copy and its full-text search, in a browser. */
@Command(name = "serve", sortOptions = false,
        description = {"Serves the backup's readable copy (BACKUP_DIR/readable) and the search its",
                "index page uses (/api/search), read-only, on this computer only unless",
                "--bind says otherwise. Ctrl-C stops it."})
public final class ServeCommand implements OfflineCommand {

    static final String LOOPBACK = "127.0.0.1";

    @Mixin
    BackupDirOption backupDir;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "The port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = LOOPBACK,
            description = "The address to listen on (default: ${DEFAULT-VALUE}, this computer only). Another lets others read your conversations.")
    String bind;

    @Override
    public int run(Map<String, String> environment, Console console) throws Exception {
        Path folder = backupDir.existingBackup(environment);
        if (port < 1 || port > 65535) {
            console.error("--port is from 1 to 65535, not " + port + ".");
            return SearchCommand.USAGE;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            console.error("--bind " + bind + " is not an address of this computer.");
            return SearchCommand.USAGE;
        }
        if (!address.isLoopbackAddress()) {
            console.error("Warning: listening on " + bind + ": anyone who can reach this computer there can read"
                    + " these private conversations (there is no password).");
        }
        BackupFolder backup = new BackupFolder(folder);
        Path readable = ReadableFolder.rootOf(backup.root(), backupDir.configuration(environment).get("readable.dir"));
        SearchIndex index = new SearchIndex(backup);
        if (!index.open()) {
            console.info("Indexing " + folder + " for search...");
            new BackupIndexer(backup, index).rebuild();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        SearchServer server;
        try {
            server = SearchServer.start(backup, index, readable, bind, port);
        } catch (Exception e) {
            index.close();
            console.error("Cannot serve on " + bind + ":" + port + ": " + e.getMessage());
            return SearchCommand.USAGE;
        }
        // SIGINT and SIGTERM run the shutdown hooks: this one stops the server, then the command returns
        Thread hook = new Thread(() -> {
            try {
                server.close();
            } finally {
                stopped.countDown(); // the command returns whatever the close did, before the process is halted
            }
        }, "claude-backup-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        console.info("Serving " + folder + " at " + server.url() + " (Ctrl-C stops)");
        stopped.await();
        console.info("Stopped serving.");
        return 0;
    }
}
