package dev.claudebackup.auth;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.sqlite.SQLiteException;

/**
 * Finds the Claude.ai session key. Sources, first found wins:
 * <ol>
 *   <li>the environment variable {@code CLAUDE_SESSION_KEY};</li>
 *   <li>the file named by {@code --session-key-file} or {@code CLAUDE_SESSION_KEY_FILE};</li>
 *   <li>the {@code sessionKey} cookie of claude.ai in the person's browsers, the most recently
 *       used profile first.</li>
 * </ol>
 * The key is never written, logged or put into a message.
 */
public final class SessionKeyLocator {

    static final String ENV_KEY = "CLAUDE_SESSION_KEY";
    static final String ENV_KEY_FILE = "CLAUDE_SESSION_KEY_FILE";
    private static final String KEY_FILE_OPTION = "--session-key-file";
    private static final String KEY_PREFIX = "sk-ant-";

    private final Map<String, String> env;
    private final Path home;
    private final Platform platform;
    private final SecretCommands commands;
    private final Consumer<String> warnings;
    private final Path tempRoot;
    private final Clock clock;

    public SessionKeyLocator(Map<String, String> env, Path home, String osName, SecretCommands commands,
            Consumer<String> warnings) {
        this(env, home, osName, commands, warnings, null, Clock.systemUTC());
    }

    /** For tests: where the private database copies go (null: the system's), and the time that decides expiry. */
    SessionKeyLocator(Map<String, String> env, Path home, String osName, SecretCommands commands,
            Consumer<String> warnings, Path tempRoot, Clock clock) {
        this.env = Map.copyOf(env);
        this.home = Objects.requireNonNull(home, "home");
        this.platform = Platform.of(osName);
        this.commands = Objects.requireNonNull(commands, "commands");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
        this.tempRoot = tempRoot;
        this.clock = clock;
    }

    /**
     * @param keyFile {@code --session-key-file}, or null
     * @param browser {@code --browser}, or null for every browser
     * @throws IllegalArgumentException for an unknown browser name
     */
    public SessionKey locate(Path keyFile, String browser) throws SessionKeyNotFoundException {
        Optional<Browser> onlyBrowser = Browser.fromOption(browser); // a typo is reported whatever the source
        List<String> attempts = new ArrayList<>();

        String fromEnv = env.get(ENV_KEY);
        if (fromEnv != null && !fromEnv.isBlank()) {
            if (keyFile != null) {
                warnings.accept(ENV_KEY + " is set, so " + KEY_FILE_OPTION + " is ignored.");
            }
            if (browser != null) {
                warnings.accept(ENV_KEY + " is set, so --browser is ignored.");
            }
            return explicitKey(fromEnv.strip(), ENV_KEY);
        }
        attempts.add(ENV_KEY + ": not set");

        Path file = keyFile;
        String namedBy = KEY_FILE_OPTION;
        String fileFromEnv = env.get(ENV_KEY_FILE);
        if (file == null && fileFromEnv != null && !fileFromEnv.isBlank()) {
            file = home.getFileSystem().getPath(fileFromEnv.strip());
            namedBy = ENV_KEY_FILE;
        }
        if (file != null) {
            if (browser != null) {
                warnings.accept("A session key file is given (" + namedBy + "), so --browser is ignored.");
            }
            return explicitKey(SessionKeyFile.read(file, namedBy, warnings), "file " + file);
        }
        attempts.add(KEY_FILE_OPTION + " / " + ENV_KEY_FILE + ": not given");

        Optional<SessionKey> fromBrowser = fromBrowsers(onlyBrowser, attempts);
        if (fromBrowser.isPresent()) {
            return fromBrowser.get();
        }
        throw SessionKeyNotFoundException.nothingFound(attempts);
    }

    /** A key the person gave us directly: a malformed one is an error, not a reason to look further. */
    private SessionKey explicitKey(String value, String source) throws SessionKeyNotFoundException {
        if (!SessionKey.isCookieValue(value)) {
            throw new SessionKeyNotFoundException("The session key from " + source + " is not valid: it contains "
                    + "spaces, line breaks, quotes, commas, semicolons, backslashes or non-ASCII characters.\n"
                    + "Copy only the value of the sessionKey cookie.\n\n" + SessionKeyNotFoundException.HOW_TO_COPY);
        }
        if (!value.startsWith(KEY_PREFIX)) {
            warnings.accept("The session key from " + source + " does not start with \"" + KEY_PREFIX
                    + "\" as Claude session keys do; if claude.ai refuses it, copy the sessionKey cookie again.");
        }
        return new SessionKey(value, source);
    }

    private Optional<SessionKey> fromBrowsers(Optional<Browser> onlyBrowser, List<String> attempts) {
        BrowserProfiles browserProfiles = new BrowserProfiles(env, home, platform);
        List<Browser> browsers = onlyBrowser.map(List::of).orElseGet(() -> List.of(Browser.values()));
        List<BrowserProfile> profiles = new ArrayList<>();
        List<String> withoutProfiles = new ArrayList<>();
        List<Browser> notInstalled = new ArrayList<>();
        for (Browser browser : browsers) {
            List<BrowserProfiles.Installation> installations = browserProfiles.installations(browser);
            if (installations.isEmpty()) {
                notInstalled.add(browser);
            }
            for (BrowserProfiles.Installation installation : installations) {
                if (installation.profiles().isEmpty()) {
                    withoutProfiles.add(installation.location().label() + ": no profiles found in "
                            + shown(installation.location().root()));
                }
                profiles.addAll(installation.profiles());
            }
        }
        profiles.sort(Comparator.comparing(BrowserProfile::lastUsed).reversed());

        // One per run, so each secret store is asked at most once.
        ChromiumCookies chromium = new ChromiumCookies(new ChromiumCookieDecryptor(platform, new ChromiumSafeStorage(commands)));
        for (BrowserProfile profile : profiles) {
            try {
                return Optional.of(new SessionKey(read(profile, chromium), profile.label()));
            } catch (CookieUnavailableException e) {
                attempts.add(profile.label() + ": " + e.getMessage());
            }
        }
        attempts.addAll(withoutProfiles);
        if (onlyBrowser.isPresent() && !notInstalled.isEmpty()) {
            Browser browser = onlyBrowser.get();
            attempts.add(browser.displayName() + ": not installed (looked in "
                    + browserProfiles.locations(browser).stream().map(l -> shown(l.root())).collect(Collectors.joining(", ")) + ")");
        } else if (!notInstalled.isEmpty()) {
            attempts.add("Not installed: " + notInstalled.stream().map(Browser::displayName).collect(Collectors.joining(", ")));
        }
        return Optional.empty();
    }

    private String read(BrowserProfile profile, ChromiumCookies chromium) throws CookieUnavailableException {
        Path database = profile.cookieDatabase();
        if (!Files.exists(database)) {
            throw new CookieUnavailableException("no cookie database yet (" + shown(database) + ")");
        }
        try (PrivateCopy copy = PrivateCopy.of(database, tempRoot); Connection connection = copy.connect()) {
            return profile.browser().isFirefoxFamily()
                    ? FirefoxCookies.sessionKey(connection, clock.instant())
                    : chromium.sessionKey(connection, profile.browser(), clock.instant());
        } catch (IOException e) {
            throw new CookieUnavailableException("cannot copy " + shown(database) + ": " + describe(e)
                    + "; if the browser keeps it locked, close the browser and try again");
        } catch (SQLException e) {
            throw new CookieUnavailableException("cannot read " + shown(database) + ": " + describe(e));
        }
    }

    private static String describe(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            switch (sqlite.getResultCode()) {
                case SQLITE_NOTADB, SQLITE_CORRUPT -> {
                    return "damaged, or not an SQLite database";
                }
                case SQLITE_BUSY, SQLITE_LOCKED -> {
                    return "locked";
                }
                default -> {
                    // fall through to the driver's own words, e.g. a missing table
                }
            }
        }
        return e.getMessage();
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fileSystemException && fileSystemException.getReason() != null) {
            return fileSystemException.getReason();
        }
        return e.getMessage();
    }

    /** Paths under the home folder as ~/..., to keep the attempt list short. */
    private String shown(Path path) {
        if (path.startsWith(home) && !path.equals(home)) {
            return "~" + home.getFileSystem().getSeparator() + home.relativize(path);
        }
        return path.toString();
    }
}
