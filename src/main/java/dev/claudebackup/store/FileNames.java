package dev.claudebackup.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Whether two names in the backup are one file: on macOS and Windows file systems names that differ only
 * in case or Unicode normalization name one file ({@code Foo} and {@code foo}), so "write the new name,
 * then delete the old one" deleted what had just been written. The one rule for chats, organizations and
 * projects: a rename whose old and new names are one file or folder is made in place
 * ({@link BackupFolder#rename}), and the old name is never deleted.
 */
public final class FileNames {

    private FileNames() {
    }

    /**
     * Asks the file system ({@link Files#isSameFile}); where it cannot tell, names equal after Unicode
     * normalization and case folding count as one file, so that nothing is deleted on a guess.
     */
    public static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException cannotTell) {
            return sameName(a.toString(), b.toString());
        }
    }

    /** Equal after Unicode normalization (NFC) and case folding. */
    public static boolean sameName(String a, String b) {
        return folded(a).equals(folded(b));
    }

    private static String folded(String name) {
        // upper then lower: the simple case folding Java offers (the two Greek sigmas meet, as do K and the Kelvin sign)
        return Normalizer.normalize(name, Normalizer.Form.NFC).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }
}
