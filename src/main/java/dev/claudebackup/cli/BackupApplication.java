package dev.claudebackup.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.BeanProcessorFactory;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.spi.StreamCachingStrategy;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.main.SimpleMainShutdownStrategy;

import dev.claudebackup.api.ApiPaths;
import dev.claudebackup.api.ApiResponses;
import dev.claudebackup.api.RedeliveryHeaders;
import dev.claudebackup.api.ClaudeHttpClient;
import dev.claudebackup.api.RequestSlots;
import dev.claudebackup.api.ResponseHeaders;
import dev.claudebackup.api.RetryPolicy;
import dev.claudebackup.cli.Configuration.ConfigurationException;
import dev.claudebackup.report.Console;
import dev.claudebackup.report.RunReport;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.ChatFiles;
import dev.claudebackup.store.OrganizationFolders;
import dev.claudebackup.store.SavedChats;
import dev.claudebackup.sync.BackupJob;
import dev.claudebackup.sync.ChatLists;
import dev.claudebackup.sync.ChatVersionKey;
import dev.claudebackup.sync.DeletedChats;
import dev.claudebackup.sync.Failures;
import dev.claudebackup.sync.RunAborted;

/**
 * Camel Main with the routes and the beans they call, named as the routes name them. Everything is
 * configured from the resolved {@link Configuration}; the session key goes to the HTTP client only.
 */
public final class BackupApplication implements AutoCloseable {

    /** Fetch threads beyond the connections: enough to keep every connection busy while chats are written. */
    public static final int FETCH_THREADS_AHEAD = 2;

    private final Main main;
    private final BackupJob job;

    private BackupApplication(Main main, BackupJob job) {
        this.main = main;
        this.job = job;
    }

    public static BackupApplication start(Configuration config, String sessionKey, Path routesDir, Console console)
            throws Exception {
        int connections = config.getInt("backup.connections", 1);
        int pageSize = config.getInt("claude.api.page-size", 1);
        int retries = config.getInt("backup.retries", 0);
        double successDelay = config.getSeconds("backup.success-delay");
        Duration minRetryDelay = seconds(config.getSeconds("backup.min-retry-delay"));
        Duration maxRetryDelay = seconds(config.getSeconds("backup.max-retry-delay"));
        boolean ignoreCache = config.getBoolean("backup.ignore-cache");
        if (ignoreCache && !config.get("backup.schedule").isBlank()) {
            // it holds for the life of the process: every scheduled run would fetch every chat again
            throw new Configuration.ConfigurationException("--ignore-cache cannot be used with --schedule: every"
                    + " scheduled run would fetch every chat again. Run once with --ignore-cache, then start the schedule.");
        }
        URI baseUrl = baseUrl(config.get("claude.base-url"));
        config.set("claude.base-url", baseUrl.toString().replaceAll("/+$", ""));
        // The throttle counts milliseconds; a period of 0 is not allowed, and 1 ms is no pause in practice.
        config.set("backup.success-delay-millis", Long.toString(Math.max(1, Math.round(successDelay * 1000))));
        // Without a delay the fetches skip the throttle: at 1 ms it paced nothing and cost 8 % of a full backup's CPU.
        config.set("backup.success-delay-paced", Boolean.toString(Math.round(successDelay * 1000) > 0));
        if (routesDir != null) {
            config.set("camel.main.routes-include-pattern", config.get("camel.main.routes-include-pattern")
                    + ",file:" + routesDir.toAbsolutePath() + "/*.camel.yaml");
        }

        BackupFolder backup = new BackupFolder(Path.of(config.get("backup.dir")));
        SavedChats savedChats = new SavedChats(backup, ignoreCache);
        ApiPaths paths = new ApiPaths(config.get("claude.api.account-path"), config.get("claude.api.chat-list-path"),
                config.get("claude.api.chat-list-v2-path"), config.get("claude.api.chat-list-query"),
                config.get("claude.api.chat-path"), config.get("claude.api.chat-query"));
        ApiResponses responses = new ApiResponses();
        OrganizationFolders folders = new OrganizationFolders(backup, savedChats, console);

        // The state folder is made (and checked for planted links) before Camel starts: its stream cache
        // spools big answers into it, never the shared temporary folder. Each run checks the rest.
        Path spool;
        try {
            backup.requireNoPlantedLinksInState();
            backup.create();
            spool = backup.prepareSpool();
        } catch (BackupFolder.PlantedLinkException e) {
            throw new ConfigurationException("Refusing to back up into " + backup.root() + ": " + e.getMessage() + ".");
        } catch (java.io.IOException e) {
            throw new ConfigurationException("Cannot create the backup folder " + backup.root() + ": " + e.getMessage());
        }

        Main main = new Main();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport configuring) {
                // before the route files are read: the shipped ones are parsed once, not twice
                CamelContext context = configuring.getCamelContext();
                context.getCamelContextExtension().addContextPlugin(RoutesLoader.class, new ShippedRoutesLoader(context));
            }

            @Override
            public void afterConfigure(BaseMainSupport configured) {
                // before the routes are made: their bean: steps' processors come from it
                CamelContext context = configured.getCamelContext();
                context.getCamelContextExtension().addContextPlugin(BeanProcessorFactory.class,
                        new DirectBeanCalls(PluginHelper.getBeanProcessorFactory(context)));
                StreamCachingStrategy streamCache = context.getStreamCachingStrategy();
                streamCache.setSpoolDirectory(spool.toFile());
                // ours to empty at the next start; Camel's removal would follow a link planted there
                streamCache.setRemoveSpoolDirectoryWhenStopping(false);
            }
        });
        // Signals are ours (Shutdown): Camel's own hook would not let the run in flight finish first.
        main.setShutdownStrategy(new SimpleMainShutdownStrategy());
        config.all().forEach(main::addOverrideProperty);
        // The core's beans; each capability declares its own in a CamelConfiguration (camel.main.configuration-classes),
        // which can inject these by name (@BeanInject) and its settings (@PropertyInject).
        main.bind("console", console);
        main.bind("claudeHttpClient", new ClaudeHttpClient(baseUrl, sessionKey, config.get("claude.user-agent"),
                seconds(config.getSeconds("backup.request-deadline"))));
        main.bind("claudeResponseHeaders", new ResponseHeaders());
        main.bind("keepOnlyRedeliveryHeaders", RedeliveryHeaders.KEEP_ONLY);
        main.bind("removeRedeliveryHeaders", RedeliveryHeaders.REMOVE);
        main.bind("apiPaths", paths);
        main.bind("runAborted", new RunAborted());
        main.bind("chatVersionKey", new ChatVersionKey());
        main.bind("apiResponses", responses);
        main.bind("retryPolicy", new RetryPolicy(retries, minRetryDelay, maxRetryDelay, console));
        main.bind("failures", new Failures(console));
        main.bind("backupFolder", backup);
        main.bind("savedChats", savedChats);
        main.bind("chatLists", new ChatLists(paths, responses, folders, savedChats, backup, console, pageSize, ignoreCache,
                config.get("backup.max-list-entries").isBlank() ? 0 : config.getInt("backup.max-list-entries", 1)));
        ChatFiles chatFiles = new ChatFiles(backup, savedChats, console);
        main.bind("chatFiles", chatFiles);
        main.bind("chatChanged", chatFiles.changedFilter());
        main.bind("deletedChats", new DeletedChats(savedChats, backup, console, ignoreCache));
        main.bind("chatFetchPool", chatFetchPool(connections));
        main.bind("requestSlots", new RequestSlots(connections));
        main.start();

        CamelContext context = main.getCamelContext();
        RunReport report = new RunReport(backup.stateFolder(), reportedOptions(config));
        BackupJob job = new BackupJob(context.createProducerTemplate(), backup, savedChats, console, report,
                config.get("events.run-finished"));
        return new BackupApplication(main, job);
    }

    public BackupJob job() {
        return job;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        main.stop();
    }

    /**
     * The fetch threads: a few more than the connections, so that while one thread writes and records
     * the chat that just came, another already sends the next request in the freed slot. The requests
     * in flight stay at most {@code backup.connections} (the requestSlots bean, and the HTTP client's
     * pool). Daemons, so that a stuck request never holds the JVM.
     */
    private static ExecutorService chatFetchPool(int connections) {
        return Executors.newFixedThreadPool(connections + FETCH_THREADS_AHEAD, runnable -> {
            Thread thread = new Thread(runnable, "chat-fetch");
            thread.setDaemon(true);
            return thread;
        });
    }

    private static URI baseUrl(String value) throws ConfigurationException {
        try {
            URI uri = URI.create(value.trim());
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("The base URL \"" + value + "\" is not an http(s) URL with a host.");
        }
    }

    private static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /** The options the report shows: ours, never Camel's internals, never the key (which is not a property). */
    private static Map<String, String> reportedOptions(Configuration config) {
        Map<String, String> shown = new TreeMap<>();
        config.all().forEach((key, value) -> {
            if (key.startsWith("backup.") || key.startsWith("claude.")) {
                shown.put(key, value);
            }
        });
        return shown;
    }
}
