package dev.claudebackup.auth;

import static dev.claudebackup.auth.BrowserFixtures.Cookie;
import static dev.claudebackup.auth.BrowserFixtures.chromiumCookies;
import static dev.claudebackup.auth.BrowserFixtures.encrypt;
import static dev.claudebackup.auth.BrowserFixtures.firefoxCookies;
import static dev.claudebackup.auth.BrowserFixtures.lastModified;
import static dev.claudebackup.auth.BrowserFixtures.profilesIni;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole search, against fake browser profiles in a temporary HOME. Every fake key and
 * password contains "FAKE" or "fake", so {@link #nothingLeaked()} can tell if one escaped.
 */
class SessionKeyLocatorTest {

    private static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");
    private static final Instant NEXT_MONTH = NOW.plus(Duration.ofDays(30));
    private static final Instant YESTERDAY = NOW.minus(Duration.ofDays(1));
    private static final String LINUX = "Linux";

    @TempDir
    Path home;
    @TempDir
    Path tempRoot;

    private final Map<String, String> env = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();
    private final FakeSecretCommands commands = new FakeSecretCommands();

    @BeforeEach
    void noKeyInTheEnvironment() {
        env.put("PATH", "/usr/bin"); // unrelated variables are ignored
    }

    @AfterEach
    void nothingLeaked() throws IOException {
        for (String text : concat(warnings, messages)) {
            assertFalse(text.toLowerCase().contains("fake"), "a secret escaped into: " + text);
        }
        try (Stream<Path> left = Files.list(tempRoot)) {
            assertEquals(List.of(), left.toList(), "private database copies are deleted");
        }
    }

    private SessionKey locate(String osName, Path keyFile, String browser) throws SessionKeyNotFoundException {
        return new SessionKeyLocator(env, home, osName, commands, warnings::add, tempRoot, Clock.fixed(NOW, ZoneOffset.UTC))
                .locate(keyFile, browser);
    }

    private SessionKey locate() throws SessionKeyNotFoundException {
        return locate(LINUX, null, null);
    }

    private String notFound(String osName, String browser) {
        SessionKeyNotFoundException e = assertThrows(SessionKeyNotFoundException.class, () -> locate(osName, null, browser));
        messages.add(e.getMessage());
        return e.getMessage();
    }

    // ---- fixtures ----

    private Path firefoxProfile(Path root, String directory, int schema, Cookie... cookies) throws Exception {
        return firefoxCookies(root.resolve(directory).resolve("cookies.sqlite"), schema, cookies);
    }

    private Path firefoxWithTwoProfiles(String olderValue, String newerValue) throws Exception {
        Path root = home.resolve(".mozilla/firefox");
        profilesIni(root, "default-release", "abcd1234.default-release", "work", "efgh5678.work");
        Path release = firefoxProfile(root, "abcd1234.default-release", 15, Cookie.claude(olderValue, NEXT_MONTH));
        Path work = firefoxProfile(root, "efgh5678.work", 15, Cookie.claude(newerValue, NEXT_MONTH));
        lastModified(release, NOW.minus(Duration.ofDays(3)));
        lastModified(work, NOW.minus(Duration.ofHours(1)));
        return root;
    }

    private Path chromeDefault() {
        return home.resolve(".config/google-chrome/Default/Cookies");
    }

    // ---- order of the sources ----

    @Test
    void environmentBeatsFileBeatsBrowsers() throws Exception {
        firefoxWithTwoProfiles("sk-ant-sid01-FAKE-browser-old", "sk-ant-sid01-FAKE-browser");
        Path keyFile = privateFile("sk-ant-sid01-FAKE-file\n");
        env.put("CLAUDE_SESSION_KEY", "  sk-ant-sid01-FAKE-env  ");

        SessionKey fromEnv = locate(LINUX, keyFile, null);
        assertEquals("sk-ant-sid01-FAKE-env", fromEnv.value());
        assertEquals("CLAUDE_SESSION_KEY", fromEnv.source());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("--session-key-file is ignored")), warnings.toString());

        env.remove("CLAUDE_SESSION_KEY");
        SessionKey fromFile = locate(LINUX, keyFile, null);
        assertEquals("sk-ant-sid01-FAKE-file", fromFile.value());
        assertEquals("file " + keyFile, fromFile.source());

        SessionKey fromBrowser = locate();
        assertEquals("sk-ant-sid01-FAKE-browser", fromBrowser.value());
        assertEquals("Firefox profile work", fromBrowser.source());
    }

    @Test
    void blankEnvironmentVariablesCountAsAbsent() throws Exception {
        firefoxWithTwoProfiles("sk-ant-sid01-FAKE-browser-old", "sk-ant-sid01-FAKE-browser");
        env.put("CLAUDE_SESSION_KEY", "   ");
        env.put("CLAUDE_SESSION_KEY_FILE", "");
        assertEquals("Firefox profile work", locate().source());
    }

    @Test
    void keyFileFromTheEnvironment() throws Exception {
        Path keyFile = privateFile("sk-ant-sid01-FAKE-file");
        env.put("CLAUDE_SESSION_KEY_FILE", keyFile.toString());
        assertEquals("sk-ant-sid01-FAKE-file", locate().value());
        assertEquals(List.of(), warnings);
    }

    @Test
    void aMalformedExplicitKeyIsAnErrorThatDoesNotEchoIt() throws Exception {
        firefoxWithTwoProfiles("sk-ant-sid01-FAKE-browser-old", "sk-ant-sid01-FAKE-browser");
        env.put("CLAUDE_SESSION_KEY", "sessionKey: sk-ant-sid01-FAKE-test-key");
        SessionKeyNotFoundException e = assertThrows(SessionKeyNotFoundException.class, this::locate);
        messages.add(e.getMessage());
        assertTrue(e.getMessage().contains("The session key from CLAUDE_SESSION_KEY is not valid"), e.getMessage());
    }

    @Test
    void anUnusualKeyIsAcceptedWithAWarning() throws Exception {
        env.put("CLAUDE_SESSION_KEY", "FAKE-without-the-usual-prefix");
        assertEquals("FAKE-without-the-usual-prefix", locate().value());
        assertTrue(warnings.get(0).contains("does not start with \"sk-ant-\""), warnings.toString());
    }

    // ---- the key file ----

    private Path privateFile(String content) throws IOException {
        Path file = home.resolve("secrets/session-key");
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        if (posix()) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return file;
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    @Test
    void aKeyFileOthersCanReadGetsAWarning() throws Exception {
        assumeTrue(posix());
        Path keyFile = privateFile("sk-ant-sid01-FAKE-file");
        locate(LINUX, keyFile, null);
        assertEquals(List.of(), warnings, "mode 600 is fine");

        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals("sk-ant-sid01-FAKE-file", locate(LINUX, keyFile, null).value());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("can be read by other users (mode rw-r--r--)"), warnings.get(0));
        assertTrue(warnings.get(0).contains("chmod 600 " + keyFile), warnings.get(0));
    }

    @Test
    void aKeyFileOfOnesOwnTheGroupCanReadGetsAWarning() throws Exception {
        assumeTrue(posix());
        Path keyFile = privateFile("sk-ant-sid01-FAKE-file");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("r--r-----"));
        locate(LINUX, keyFile, null);
        assertEquals(1, warnings.size(), warnings.toString());
    }

    /** A Kubernetes secret: root's file, 0440 to the pod's fsGroup. Only root can make one here. */
    @Test
    void aKeyFileAnotherUserSharedWithTheGroupGetsNoWarning() throws Exception {
        assumeTrue(posix() && "root".equals(System.getProperty("user.name")));
        Path keyFile = privateFile("sk-ant-sid01-FAKE-file");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("r--r-----"));
        Files.setAttribute(keyFile, "unix:uid", 10001);
        assertEquals("sk-ant-sid01-FAKE-file", locate(LINUX, keyFile, null).value());
        assertEquals(List.of(), warnings, "shared with the group on purpose");

        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("r--r--r--"));
        locate(LINUX, keyFile, null);
        assertEquals(1, warnings.size(), "readable by everyone: " + warnings);
    }

    @Test
    void aNamedKeyFileThatCannotBeUsedIsAnErrorNamingIt() throws Exception {
        firefoxWithTwoProfiles("sk-ant-sid01-FAKE-browser-old", "sk-ant-sid01-FAKE-browser");
        Path missing = home.resolve("no-such-key");
        Path empty = privateFile("  \n");
        Path folder = Files.createDirectories(home.resolve("a-folder"));
        Map<Path, String> expected = Map.of(missing, "it does not exist", empty, "it is empty", folder, "it is a folder");
        for (Map.Entry<Path, String> entry : expected.entrySet()) {
            SessionKeyNotFoundException e = assertThrows(SessionKeyNotFoundException.class, () -> locate(LINUX, entry.getKey(), null));
            messages.add(e.getMessage());
            assertTrue(e.getMessage().contains(entry.getKey().toString()), e.getMessage());
            assertTrue(e.getMessage().contains(entry.getValue()), e.getMessage());
            assertTrue(e.getMessage().contains("--session-key-file"), e.getMessage());
        }
    }

    // ---- Firefox ----

    @Test
    void theMostRecentlyUsedFirefoxProfileWins() throws Exception {
        Path root = firefoxWithTwoProfiles("sk-ant-sid01-FAKE-release", "sk-ant-sid01-FAKE-work");
        assertEquals("sk-ant-sid01-FAKE-work", locate().value());

        lastModified(root.resolve("abcd1234.default-release/cookies.sqlite"), NOW.minus(Duration.ofMinutes(5)));
        SessionKey key = locate();
        assertEquals("sk-ant-sid01-FAKE-release", key.value());
        assertEquals("Firefox profile default-release", key.source());
    }

    @Test
    void readsWhatTheRunningFirefoxHasOnlyInItsWriteAheadLog() throws Exception {
        Path root = home.resolve(".mozilla/firefox");
        profilesIni(root, "default-release", "abcd1234.default-release");
        Path database = root.resolve("abcd1234.default-release/cookies.sqlite");
        Files.createDirectories(database.getParent());
        // The "browser" keeps its connection open, so the new cookie sits in cookies.sqlite-wal.
        try (Connection browser = BrowserFixtures.open(database)) {
            try (Statement statement = browser.createStatement()) {
                statement.execute("PRAGMA journal_mode = WAL");
                statement.execute("PRAGMA wal_autocheckpoint = 0");
            }
            BrowserFixtures.createFirefoxTable(browser, 15);
            BrowserFixtures.insertFirefox(browser, 15, Cookie.claude("sk-ant-sid01-FAKE-in-wal", NEXT_MONTH));
            assertTrue(Files.size(database.resolveSibling("cookies.sqlite-wal")) > 0);

            assertEquals("sk-ant-sid01-FAKE-in-wal", locate().value());
        }
    }

    @Test
    void firefox142ExpiryInMilliseconds() throws Exception {
        Path root = home.resolve(".mozilla/firefox");
        profilesIni(root, "old", "a.old", "new", "b.new");
        lastModified(firefoxProfile(root, "a.old", 16, Cookie.claude("sk-ant-sid01-FAKE-old", NEXT_MONTH)), NOW.minus(Duration.ofDays(2)));
        lastModified(firefoxProfile(root, "b.new", 16, Cookie.claude("sk-ant-sid01-FAKE-expired", YESTERDAY)), NOW);
        assertEquals("Firefox profile old", locate().source(), "yesterday in milliseconds is not read as a far future in seconds");
    }

    @Test
    void expiredAndLookAlikeCookiesAreIgnored() throws Exception {
        Path root = home.resolve(".mozilla/firefox");
        profilesIni(root, "default-release", "abcd1234.default-release");
        firefoxProfile(root, "abcd1234.default-release", 15,
                Cookie.claude("sk-ant-sid01-FAKE-expired", YESTERDAY),
                new Cookie("claude.ai.example.com", "sessionKey", "sk-ant-sid01-FAKE-lookalike", NEXT_MONTH),
                new Cookie("evil-claude.ai.example", "sessionKey", "sk-ant-sid01-FAKE-evil", NEXT_MONTH),
                new Cookie(".claude.ai", "lastActiveOrg", "FAKE-org", NEXT_MONTH));
        String message = notFound(LINUX, null);
        assertTrue(message.contains("Firefox profile default-release: the sessionKey cookie expired on 2026-01-14"), message);

        firefoxProfile(root, "other", 15, new Cookie("www.claude.ai.example.com", "sessionKey", "sk-ant-sid01-FAKE-x", NEXT_MONTH));
        profilesIni(root, "other", "other");
        assertTrue(notFound(LINUX, null).contains("Firefox profile other: no sessionKey cookie for claude.ai"));
    }

    @Test
    void anUnreadableDatabaseIsReportedAndTheNextProfileTried() throws Exception {
        Path root = firefoxWithTwoProfiles("sk-ant-sid01-FAKE-release", "sk-ant-sid01-FAKE-work");
        Path newest = root.resolve("efgh5678.work/cookies.sqlite");
        Files.writeString(newest, "this is not an SQLite database, just like a damaged or half-written one");
        lastModified(newest, NOW);

        assertEquals("sk-ant-sid01-FAKE-release", locate().value());

        Files.delete(root.resolve("abcd1234.default-release/cookies.sqlite"));
        Files.createDirectories(root.resolve("abcd1234.default-release/cookies.sqlite")); // not a file at all
        String message = notFound(LINUX, null);
        assertTrue(message.contains("Firefox profile work: cannot read ~/.mozilla/firefox/efgh5678.work/cookies.sqlite: damaged, or not an SQLite database"), message);
        assertTrue(message.contains("Firefox profile default-release: cannot copy ~/.mozilla/firefox/abcd1234.default-release/cookies.sqlite: not a regular file"), message);
    }

    @Test
    void snapFlatpakAndLibreWolfLocations() throws Exception {
        Path snap = home.resolve("snap/firefox/common/.mozilla/firefox");
        profilesIni(snap, "default", "x.default");
        lastModified(firefoxProfile(snap, "x.default", 15, Cookie.claude("sk-ant-sid01-FAKE-snap", NEXT_MONTH)), YESTERDAY);
        assertEquals("Firefox (snap) profile default", locate().source());

        Path libreWolf = home.resolve(".librewolf");
        profilesIni(libreWolf, "default-default", "y.default-default");
        lastModified(firefoxProfile(libreWolf, "y.default-default", 15, Cookie.claude("sk-ant-sid01-FAKE-wolf", NEXT_MONTH)), NOW);
        assertEquals("sk-ant-sid01-FAKE-wolf", locate().value());
        assertEquals("sk-ant-sid01-FAKE-snap", locate(LINUX, null, "firefox").value());
    }

    // ---- Chromium family on Linux ----

    @Test
    void chromeV10WithAndWithoutTheHostHash() throws Exception {
        Cookie cookie = Cookie.claude("sk-ant-sid01-FAKE-chrome", NEXT_MONTH);
        chromiumCookies(chromeDefault(), 23, cookie, encrypt("v10", "peanuts", 1, ".claude.ai", 23, cookie.value()));
        SessionKey key = locate();
        assertEquals("sk-ant-sid01-FAKE-chrome", key.value());
        assertEquals("Chrome profile Default", key.source());

        Files.delete(chromeDefault());
        Path network = home.resolve(".config/google-chrome/Profile 2/Network/Cookies");
        chromiumCookies(network, 24, cookie, encrypt("v10", "peanuts", 1, ".claude.ai", 24, cookie.value()));
        assertEquals("Chrome profile Profile 2", locate().source());
        assertEquals("sk-ant-sid01-FAKE-chrome", locate().value());
    }

    @Test
    void chromeV11WithThePasswordFromTheKeyring() throws Exception {
        commands.answer("fake-keyring-password", "secret-tool", "lookup", "application", "chrome");
        Cookie cookie = Cookie.claude("sk-ant-sid01-FAKE-v11", NEXT_MONTH);
        chromiumCookies(chromeDefault(), 24, cookie, encrypt("v11", "fake-keyring-password", 1, ".claude.ai", 24, cookie.value()));
        assertEquals("sk-ant-sid01-FAKE-v11", locate().value());
    }

    @Test
    void chromeV11WithoutTheKeyringPasswordCannotBeDecrypted() throws Exception {
        Cookie cookie = Cookie.claude("sk-ant-sid01-FAKE-v11", NEXT_MONTH);
        chromiumCookies(chromeDefault(), 24, cookie, encrypt("v11", "fake-keyring-password", 1, ".claude.ai", 24, cookie.value()));
        String message = notFound(LINUX, null);
        assertTrue(message.contains("Chrome profile Default: cannot decrypt the cookie"), message);
    }

    @Test
    void chromiumSessionCookiesNeverExpireButExpiredOnesAreSkipped() throws Exception {
        Cookie expired = Cookie.claude("sk-ant-sid01-FAKE-expired", YESTERDAY);
        Path database = home.resolve(".config/chromium/Default/Cookies");
        chromiumCookies(database, 24, expired, encrypt("v10", "peanuts", 1, ".claude.ai", 24, expired.value()));
        assertTrue(notFound(LINUX, null).contains("Chromium profile Default: the sessionKey cookie expired on 2026-01-14"));

        Cookie session = new Cookie("claude.ai", "sessionKey", "sk-ant-sid01-FAKE-session", null);
        BrowserFixtures.addChromium(database, session, encrypt("v10", "peanuts", 1, "claude.ai", 24, session.value()));
        assertEquals("sk-ant-sid01-FAKE-session", locate().value());
    }

    @Test
    void operaKeepsItsProfileInTheTopFolder() throws Exception {
        Cookie cookie = Cookie.claude("sk-ant-sid01-FAKE-opera", NEXT_MONTH);
        chromiumCookies(home.resolve(".config/opera/Cookies"), 23, cookie, null); // plaintext value, as old versions wrote
        SessionKey key = locate(LINUX, null, "Opera");
        assertEquals("sk-ant-sid01-FAKE-opera", key.value());
        assertEquals("Opera", key.source());
    }

    @Test
    void browserNarrowsTheSearch() throws Exception {
        firefoxWithTwoProfiles("sk-ant-sid01-FAKE-release", "sk-ant-sid01-FAKE-work");
        Cookie cookie = Cookie.claude("sk-ant-sid01-FAKE-chrome", NEXT_MONTH);
        lastModified(chromiumCookies(chromeDefault(), 24, cookie, encrypt("v10", "peanuts", 1, ".claude.ai", 24, cookie.value())), NOW);

        assertEquals("sk-ant-sid01-FAKE-chrome", locate().value(), "Chrome was used last");
        assertEquals("sk-ant-sid01-FAKE-work", locate(LINUX, null, "firefox").value());
        assertEquals("sk-ant-sid01-FAKE-chrome", locate(LINUX, null, "CHROME").value());

        String message = notFound(LINUX, "brave");
        assertTrue(message.contains("Brave: not installed (looked in ~/.config/BraveSoftware/Brave-Browser, "), message);
        assertFalse(message.contains("Firefox profile"), message);
    }

    @Test
    void anUnknownBrowserIsRefusedClearly() {
        env.put("CLAUDE_SESSION_KEY", "sk-ant-sid01-FAKE-env");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> locate(LINUX, null, "netscape"));
        assertEquals("Unknown browser 'netscape' for --browser. Choose one of: "
                + "firefox, librewolf, chrome, chromium, brave, edge, vivaldi, opera.", e.getMessage());
    }

    // ---- macOS and Windows ----

    @Test
    void macChromeWithTheKeychainPassword() throws Exception {
        commands.answer("fake-keychain-password", "security", "find-generic-password", "-w", "-s", "Chrome Safe Storage");
        Cookie cookie = Cookie.claude("sk-ant-sid01-FAKE-mac", NEXT_MONTH);
        chromiumCookies(home.resolve("Library/Application Support/Google/Chrome/Default/Cookies"), 24, cookie,
                encrypt("v10", "fake-keychain-password", 1003, ".claude.ai", 24, cookie.value()));
        SessionKey key = locate("Mac OS X", null, null);
        assertEquals("sk-ant-sid01-FAKE-mac", key.value());
        assertEquals("Chrome profile Default", key.source());
    }

    @Test
    void macFirefox() throws Exception {
        Path root = home.resolve("Library/Application Support/Firefox");
        profilesIni(root, "default-release", "Profiles/abcd.default-release");
        firefoxProfile(root, "Profiles/abcd.default-release", 15, Cookie.claude("sk-ant-sid01-FAKE-mac-firefox", NEXT_MONTH));
        assertEquals("sk-ant-sid01-FAKE-mac-firefox", locate("Mac OS X", null, null).value());
        assertThrows(SessionKeyNotFoundException.class, () -> locate(LINUX, null, null), "not where Linux looks");
    }

    @Test
    void windowsFirefoxWorksAndChromeV20IsExplained() throws Exception {
        Cookie cookie = Cookie.claude("sk-ant-sid01-FAKE-win", NEXT_MONTH);
        byte[] appBound = BrowserFixtures.concat("v20".getBytes(), new byte[64]);
        lastModified(chromiumCookies(home.resolve("AppData/Local/Google/Chrome/User Data/Default/Network/Cookies"), 24, cookie, appBound), NOW);

        String message = notFound("Windows 11", null);
        assertTrue(message.contains("  - Chrome profile Default: app-bound encryption (v20) cannot be read without "
                + "administrator rights; use Firefox, or copy the key by hand (below)"), message);

        Path roaming = Files.createDirectories(home.resolve("elsewhere/Roaming"));
        env.put("APPDATA", roaming.toString());
        Path root = roaming.resolve("Mozilla/Firefox");
        profilesIni(root, "default-release", "Profiles/abcd.default-release");
        firefoxProfile(root, "Profiles/abcd.default-release", 15, cookie);
        assertEquals("sk-ant-sid01-FAKE-win", locate("Windows 11", null, null).value());
    }

    // ---- nothing found ----

    @Test
    void theNotFoundMessageListsEveryAttemptAndExplainsTheWayOut() throws Exception {
        Path firefox = home.resolve(".mozilla/firefox");
        profilesIni(firefox, "default-release", "abcd.default-release", "fresh", "never.used");
        firefoxProfile(firefox, "abcd.default-release", 15, new Cookie("example.com", "sessionKey", "FAKE", NEXT_MONTH));
        Cookie expired = Cookie.claude("sk-ant-sid01-FAKE-expired", YESTERDAY);
        chromiumCookies(chromeDefault(), 24, expired, encrypt("v10", "peanuts", 1, ".claude.ai", 24, expired.value()));
        Files.createDirectories(home.resolve(".config/chromium/Default"));
        Files.writeString(home.resolve(".config/chromium/Default/Cookies"), "garbage");
        Files.createDirectories(home.resolve(".config/vivaldi"));

        String message = notFound(LINUX, null);
        for (String expected : List.of(
                "No Claude session key found. Tried, in this order:",
                "  - CLAUDE_SESSION_KEY: not set",
                "  - --session-key-file / CLAUDE_SESSION_KEY_FILE: not given",
                "  - Firefox profile default-release: no sessionKey cookie for claude.ai",
                "  - Firefox profile fresh: no cookie database yet (~/.mozilla/firefox/never.used/cookies.sqlite)",
                "  - Chrome profile Default: the sessionKey cookie expired on 2026-01-14",
                "  - Chromium profile Default: cannot read ~/.config/chromium/Default/Cookies: damaged, or not an SQLite database",
                "  - Vivaldi: no profiles found in ~/.config/vivaldi",
                "  - Not installed: LibreWolf, Brave, Edge, Opera",
                "Application > Cookies", "(Firefox: Storage > Cookies) > https://claude.ai", "sessionKey",
                "CLAUDE_SESSION_KEY=\"$(wl-paste)\" claude-backup",
                "claude-backup --session-key-file ~/.claude-session-key")) {
            assertTrue(message.contains(expected), "missing «" + expected + "» in:\n" + message);
        }
        for (String line : message.split("\n")) {
            assertTrue(line.length() <= 120, "too long for a terminal: " + line);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
