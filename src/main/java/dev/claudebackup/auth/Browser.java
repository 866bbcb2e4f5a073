package dev.claudebackup.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The browsers whose cookies we can read, with the names their secret stores use. */
enum Browser {
    FIREFOX("firefox", "Firefox", null, null),
    LIBREWOLF("librewolf", "LibreWolf", null, null),
    // The Linux keyring names are what the browsers really use (several borrow Chrome's or
    // Chromium's); the macOS keychain service names are each browser's own.
    CHROME("chrome", "Chrome", "Chrome", "Chrome Safe Storage"),
    CHROMIUM("chromium", "Chromium", "Chromium", "Chromium Safe Storage"),
    BRAVE("brave", "Brave", "Brave", "Brave Safe Storage"),
    EDGE("edge", "Edge", "Chromium", "Microsoft Edge Safe Storage"),
    VIVALDI("vivaldi", "Vivaldi", "Chrome", "Vivaldi Safe Storage"),
    OPERA("opera", "Opera", "Chromium", "Opera Safe Storage");

    private final String optionName;
    private final String displayName;
    private final String linuxKeyringName;
    private final String macKeychainService;

    Browser(String optionName, String displayName, String linuxKeyringName, String macKeychainService) {
        this.optionName = optionName;
        this.displayName = displayName;
        this.linuxKeyringName = linuxKeyringName;
        this.macKeychainService = macKeychainService;
    }

    /** The {@code --browser} value, case-insensitive; null means every browser. */
    static Optional<Browser> fromOption(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return Optional.of(Arrays.stream(values())
                .filter(browser -> browser.optionName.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "Unknown browser '" + name + "' for --browser. Choose one of: " + optionNames() + ".")));
    }

    static String optionNames() {
        return Arrays.stream(values()).map(b -> b.optionName).collect(Collectors.joining(", "));
    }

    boolean isFirefoxFamily() {
        return linuxKeyringName == null;
    }

    String displayName() {
        return displayName;
    }

    /** The {@code application} attribute of the Secret Service item, e.g. {@code chrome}. */
    String secretServiceApplication() {
        return linuxKeyringName.toLowerCase(Locale.ROOT);
    }

    /** KWallet keeps the password as entry "X Safe Storage" in folder "X Keys". */
    String kwalletEntry() {
        return linuxKeyringName + " Safe Storage";
    }

    String kwalletFolder() {
        return linuxKeyringName + " Keys";
    }

    String macKeychainService() {
        return macKeychainService;
    }
}
