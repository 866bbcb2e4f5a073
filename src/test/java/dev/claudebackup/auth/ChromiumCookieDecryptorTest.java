package dev.claudebackup.auth;

import static dev.claudebackup.auth.BrowserFixtures.encrypt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChromiumCookieDecryptorTest {

    private static final String KEY = "sk-ant-sid01-FAKE-test-key";
    private static final String HOST = ".claude.ai";

    private final FakeSecretCommands commands = new FakeSecretCommands();

    private String decrypt(Platform platform, Browser browser, byte[] encrypted, int version) throws CookieUnavailableException {
        return new ChromiumCookieDecryptor(platform, new ChromiumSafeStorage(commands)).decrypt(browser, encrypted, version);
    }

    @Test
    void linuxV10KeyIsTheWellKnownPeanutsKey() {
        // Published by every tool that reads Chromium cookies on Linux: pins salt, iterations and length.
        assertEquals("fd621fe5a2b402539dfa147ca9272778", HexFormat.of().formatHex(ChromiumCookieDecryptor.key("peanuts", 1)));
    }

    @Test
    void linuxV10BeforeAndAfterTheHostHash() throws Exception {
        assertEquals(KEY, decrypt(Platform.LINUX, Browser.CHROME, encrypt("v10", "peanuts", 1, HOST, 23, KEY), 23));
        assertEquals(KEY, decrypt(Platform.LINUX, Browser.CHROME, encrypt("v10", "peanuts", 1, HOST, 24, KEY), 24));
        assertTrue(commands.calls.isEmpty(), "v10 needs no keyring");
    }

    @Test
    void linuxV11UsesTheSecretServicePasswordOfTheBrowser() throws Exception {
        commands.answer("fake-keyring-password", "secret-tool", "lookup", "application", "brave");
        assertEquals(KEY, decrypt(Platform.LINUX, Browser.BRAVE, encrypt("v11", "fake-keyring-password", 1, HOST, 24, KEY), 24));
        assertEquals(List.of(List.of("secret-tool", "lookup", "application", "brave")), commands.calls, "KWallet is not asked once a password fits");
    }

    @Test
    void linuxV11FallsBackToKWallet() throws Exception {
        commands.answer("fake-wallet-password", "kwallet-query", "-r", "Chrome Safe Storage", "-f", "Chrome Keys", "kdewallet");
        assertEquals(KEY, decrypt(Platform.LINUX, Browser.CHROME, encrypt("v11", "fake-wallet-password", 1, HOST, 23, KEY), 23));
    }

    @Test
    void linuxV11FallsBackToTheEmptyPassword() throws Exception {
        assertEquals(KEY, decrypt(Platform.LINUX, Browser.CHROMIUM, encrypt("v11", "", 1, HOST, 23, KEY), 23));
    }

    @Test
    void aWrongPasswordIsReportedNotReturned() {
        commands.answer("fake-wrong-password", "secret-tool", "lookup", "application", "chrome");
        byte[] encrypted = encrypt("v11", "fake-right-password", 1, HOST, 24, KEY);
        CookieUnavailableException e = assertThrows(CookieUnavailableException.class,
                () -> decrypt(Platform.LINUX, Browser.CHROME, encrypted, 24));
        assertEquals("cannot decrypt the cookie: no fitting password in the keyring (is it unlocked?)", e.getMessage());
        assertFalse(e.getMessage().contains("FAKE") || e.getMessage().contains("fake"), e.getMessage());
    }

    @Test
    void macUsesTheKeychainPasswordWith1003Iterations() throws Exception {
        commands.answer("fake-keychain-password", "security", "find-generic-password", "-w", "-s", "Microsoft Edge Safe Storage");
        assertEquals(KEY, decrypt(Platform.MAC, Browser.EDGE, encrypt("v10", "fake-keychain-password", 1003, HOST, 24, KEY), 24));
    }

    @Test
    void macWithoutKeychainAccessSaysSo() {
        byte[] encrypted = encrypt("v10", "fake-keychain-password", 1003, HOST, 24, KEY);
        CookieUnavailableException e = assertThrows(CookieUnavailableException.class,
                () -> decrypt(Platform.MAC, Browser.CHROME, encrypted, 24));
        assertTrue(e.getMessage().contains("\"Chrome Safe Storage\" from the macOS keychain"), e.getMessage());
    }

    @Test
    void windowsEncryptionIsExplainedNotAttempted() {
        byte[] v20 = BrowserFixtures.concat("v20".getBytes(StandardCharsets.US_ASCII), new byte[48]);
        CookieUnavailableException appBound = assertThrows(CookieUnavailableException.class,
                () -> decrypt(Platform.WINDOWS, Browser.CHROME, v20, 24));
        assertTrue(appBound.getMessage().contains("app-bound encryption (v20)"), appBound.getMessage());
        assertTrue(appBound.getMessage().contains("administrator"), appBound.getMessage());

        byte[] v10 = BrowserFixtures.concat("v10".getBytes(StandardCharsets.US_ASCII), new byte[48]);
        CookieUnavailableException dpapi = assertThrows(CookieUnavailableException.class,
                () -> decrypt(Platform.WINDOWS, Browser.EDGE, v10, 24));
        assertTrue(dpapi.getMessage().contains("DPAPI"), dpapi.getMessage());
        assertTrue(commands.calls.isEmpty());
    }

    @Test
    void unknownFormatIsReported() {
        CookieUnavailableException e = assertThrows(CookieUnavailableException.class,
                () -> decrypt(Platform.LINUX, Browser.CHROME, "x".getBytes(StandardCharsets.US_ASCII), 24));
        assertTrue(e.getMessage().contains("encryption"), e.getMessage());
    }
}
