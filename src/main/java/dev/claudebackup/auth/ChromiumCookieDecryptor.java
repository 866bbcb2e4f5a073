package dev.claudebackup.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decrypts a Chromium {@code encrypted_value} on Linux and macOS: AES-128-CBC with a key derived
 * by PBKDF2-HMAC-SHA1 from the browser's password. Windows encryption (DPAPI, app-bound) is
 * recognised and explained, not decrypted.
 */
final class ChromiumCookieDecryptor {

    /** From this cookie database version on, the plaintext starts with SHA-256(host_key). */
    static final int HOST_HASH_VERSION = 24;

    private static final byte[] SALT = "saltysalt".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IV = "                ".getBytes(StandardCharsets.US_ASCII);
    private static final int HOST_HASH_LENGTH = 32;
    private static final int LINUX_ITERATIONS = 1;
    private static final int MAC_ITERATIONS = 1003;
    private static final String LINUX_V10_PASSWORD = "peanuts";
    /** The attempt list is followed by the manual steps, hence "below". */
    private static final String WINDOWS_ADVICE = "; use Firefox, or copy the key by hand (below)";

    private final Platform platform;
    private final ChromiumSafeStorage safeStorage;

    ChromiumCookieDecryptor(Platform platform, ChromiumSafeStorage safeStorage) {
        this.platform = platform;
        this.safeStorage = safeStorage;
    }

    String decrypt(Browser browser, byte[] encrypted, int databaseVersion) throws CookieUnavailableException {
        String prefix = encrypted.length >= 3 ? new String(encrypted, 0, 3, StandardCharsets.ISO_8859_1) : "";
        if (platform == Platform.WINDOWS) {
            throw windows(prefix);
        }
        boolean v10 = prefix.equals("v10");
        if (!v10 && !prefix.equals("v11")) {
            throw new CookieUnavailableException("the cookie uses an encryption claude-backup does not know");
        }
        if (platform == Platform.MAC) {
            // Chromium on macOS writes v10 only, with the keychain's password.
            Optional<String> password = safeStorage.macKeychain(browser);
            if (password.isEmpty()) {
                throw new CookieUnavailableException("cannot get \"" + browser.macKeychainService()
                        + "\" from the macOS keychain (missing, or access was denied)");
            }
            List<Supplier<Optional<String>>> keychain = List.of(() -> password);
            return decryptWithAny(encrypted, databaseVersion, MAC_ITERATIONS, keychain,
                    "cannot decrypt the cookie with the keychain's \"" + browser.macKeychainService() + "\"");
        }
        // Linux: v10 uses a fixed password; v11 the desktop keyring's. Some builds used an empty
        // password by mistake, so that is the last candidate for both.
        List<Supplier<Optional<String>>> passwords = v10
                ? List.of(() -> Optional.of(LINUX_V10_PASSWORD), () -> Optional.of(""))
                : List.of(() -> safeStorage.secretService(browser), () -> safeStorage.kwallet(browser), () -> Optional.of(""));
        return decryptWithAny(encrypted, databaseVersion, LINUX_ITERATIONS, passwords,
                v10 ? "cannot decrypt the cookie with Chromium's built-in key"
                    : "cannot decrypt the cookie: no fitting password in the keyring (is it unlocked?)");
    }

    private static CookieUnavailableException windows(String prefix) {
        if (prefix.equals("v20")) {
            return new CookieUnavailableException(
                    "app-bound encryption (v20) cannot be read without administrator rights" + WINDOWS_ADVICE);
        }
        return new CookieUnavailableException("Windows DPAPI encryption is not supported" + WINDOWS_ADVICE);
    }

    private static String decryptWithAny(byte[] encrypted, int databaseVersion, int iterations,
            List<Supplier<Optional<String>>> passwords, String failure) throws CookieUnavailableException {
        for (Supplier<Optional<String>> candidate : passwords) {
            Optional<String> password = candidate.get();
            if (password.isEmpty()) {
                continue;
            }
            Optional<String> value = decrypt(encrypted, databaseVersion, key(password.get(), iterations));
            if (value.isPresent()) {
                return value.get();
            }
        }
        throw new CookieUnavailableException(failure);
    }

    /**
     * A wrong key is caught by the padding check, or else (1 time in 256) by the plaintext not
     * being a cookie value, so trying candidates in turn is safe.
     */
    private static Optional<String> decrypt(byte[] encrypted, int databaseVersion, byte[] key) {
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding"); // PKCS#5 is PKCS#7 for 16-byte blocks
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(IV));
            plain = cipher.doFinal(encrypted, 3, encrypted.length - 3);
        } catch (BadPaddingException | IllegalBlockSizeException wrongKey) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CBC is missing from this Java runtime", e);
        }
        int start = 0;
        if (databaseVersion >= HOST_HASH_VERSION) {
            if (plain.length < HOST_HASH_LENGTH) {
                return Optional.empty();
            }
            start = HOST_HASH_LENGTH;
        }
        String value = new String(plain, start, plain.length - start, StandardCharsets.ISO_8859_1);
        Arrays.fill(plain, (byte) 0);
        return SessionKey.isCookieValue(value) ? Optional.of(value) : Optional.empty();
    }

    static byte[] key(String password, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), SALT, iterations, 128);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA1 is missing from this Java runtime", e);
        } finally {
            spec.clearPassword();
        }
    }
}
