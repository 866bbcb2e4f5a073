package dev.claudebackup.search;

import java.nio.file.Path;

import org.apache.camel.main.Main;
import org.apache.camel.main.SimpleMainShutdownStrategy;

import dev.claudebackup.store.BackupFolder;

/**
 * Camel Main with routes/serve.camel.yaml only, on the embedded HTTP server: none of the backup's
 * routes, properties or beans (the tool's application.properties is not read), so it needs no session
 * key and touches nothing but what it reads.
 */
public final class SearchServer implements AutoCloseable {

    static final String ROUTES = "classpath:routes/serve.camel.yaml";

    private final Main main;
    private final SearchIndex index;
    private final String url;

    private SearchServer(Main main, SearchIndex index, String url) {
        this.main = main;
        this.index = index;
        this.url = url;
    }

    /**
     * Serves the backup on {@code host:port}; its index must be open (and complete).
     * @param readable the readable copy's folder (readable.dir resolved against the backup folder)
     */
    public static SearchServer start(BackupFolder backup, SearchIndex index, Path readable, String host, int port) throws Exception {
        Main main = new Main();
        // Signals are serve's own (its shutdown hook stops this Main): Camel's hook of its own, stopping the
        // same Main at the same moment, made one stop in ten wait for the other until the process was halted.
        main.setShutdownStrategy(new SimpleMainShutdownStrategy());
        main.setDefaultPropertyPlaceholderLocation("false");
        main.addOverrideProperty("camel.main.name", "claude-backup-serve");
        main.addOverrideProperty("camel.main.routes-include-pattern", ROUTES);
        main.addOverrideProperty("camel.main.routes-reload-enabled", "false");
        // Camel waits 45 s for requests in flight; the process's stop (cli.Shutdown) halts with 1 after 25 s
        main.addOverrideProperty("camel.main.shutdown-timeout", "15");
        main.addOverrideProperty("camel.server.enabled", "true");
        main.addOverrideProperty("camel.server.host", host);
        main.addOverrideProperty("camel.server.port", Integer.toString(port));
        main.bind("searchApi", new SearchApi(IndexSearch.of(backup, index, readable)));
        main.bind("readablePages", new ReadablePages(readable, backup.organizations(), ReadablePages.hosts(host, port)));
        main.start();
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return new SearchServer(main, index, "http://" + shown + ":" + port + "/");
    }

    /** Where it answers, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        try {
            main.stop();
        } finally {
            index.close();
        }
    }
}
