package dev.claudebackup.store;

import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.claudebackup.report.Console;

/**
 * Names files and folders after a thing's name and uuid, the way the Python claude-backup does
 * ({@code Fixing_dry_falafel_centers-08217feb-c912-40c2-9d14-f89784d61ab5}), so its users can switch.
 *
 * <p>Beyond the Python tool, which crashes on them: every control character becomes {@code _}, leading
 * dots too (a hidden file, or one named like a temporary file, would be deleted by the next run), and a
 * long name is cut at a character boundary so the whole file name fits the 255 bytes most file
 * systems allow (with the temporary prefix it is first written under), with the {@code -uuid} tail intact. The uuid is the identity, so it is checked to be
 * canonical: nothing else may reach a path.
 */
public final class ChatFileNamer {

    /** The Python tool's replacements, plus every other control character. */
    private static final Pattern UNSAFE = Pattern.compile("[<>:\"|?*/\\\\ \\t\\n\\r\\x00-\\x1F\\x7F]");
    private static final Pattern LEADING_DOTS = Pattern.compile("^\\.+");
    /** 255 bytes, less the prefix of the temporary file the file is first written as. */
    private static final int MAX_FILE_NAME_BYTES = 255 - BackupFolder.TEMP_PREFIX.length();

    /** The encoding file names are written in (UTF-8 once cli.Utf8FileNames made sure of it); encoders are not thread-safe. */
    private static final ThreadLocal<CharsetEncoder> FILE_NAME_ENCODER = ThreadLocal.withInitial(() -> fileNameCharset().newEncoder());

    private static Charset fileNameCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException unknown) {
            return StandardCharsets.UTF_8;
        }
    }

    private ChatFileNamer() {
    }

    /**
     * 8-4-4-4-12 ASCII hex digits, in either case. Checked by hand: a regular expression took 1 % of a full
     * backup's samples, called for every chat's name, file and page.
     */
    public static boolean isCanonicalUuid(String uuid) {
        if (uuid == null || uuid.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = uuid.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23 ? c != '-' : !HexFormat.isHexDigit(c)) {
                return false;
            }
        }
        return true;
    }

    /** Throws when the uuid is not canonical: such an entry is reported and skipped, never written. */
    public static String requireCanonicalUuid(String uuid, String what) {
        if (!isCanonicalUuid(uuid)) {
            throw new IllegalArgumentException(what + " has no canonical uuid: " + printable(uuid));
        }
        return uuid;
    }

    /** The slug: {@code Name_with_underscores-uuid}, or the uuid alone for an empty or missing name. */
    public static String slug(String name, String uuid) {
        return fitted(name, uuid, "");
    }

    /** A chat's file name: the slug and {@code .json}, within 255 bytes. */
    public static String jsonFileName(String name, String uuid) {
        return fitted(name, uuid, ".json");
    }

    /** The uuid a file or folder name ends with, if it was named by this class. */
    public static Optional<String> uuidOf(String fileName) {
        String stem = fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
        if (stem.length() < 36) {
            return Optional.empty();
        }
        String tail = stem.substring(stem.length() - 36);
        boolean separated = stem.length() == 36 || stem.charAt(stem.length() - 37) == '-';
        // one chat whichever case its uuid was written in: the canonical form is lower case
        return separated && isCanonicalUuid(tail) ? Optional.of(tail.toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    private static String fitted(String name, String uuid, String extension) {
        requireCanonicalUuid(uuid, "an entry");
        String tail = uuid + extension;
        if (name == null || name.isEmpty()) {
            return tail;
        }
        // Beyond the Python tool: no leading dot, so no name is hidden, nor taken for a temporary file
        // (".part-…", which every run deletes) or the state folder.
        String safe = LEADING_DOTS.matcher(UNSAFE.matcher(fileNameSafe(name)).replaceAll("_")).replaceFirst(dots -> "_".repeat(dots.group().length()));
        int budget = MAX_FILE_NAME_BYTES - tail.getBytes(StandardCharsets.UTF_8).length - 1;
        return truncateUtf8(safe, budget) + "-" + tail;
    }

    /**
     * Drops bidi controls (a U+202E shows a name reversed, hiding its real extension), and makes {@code _}
     * of what no file name can hold: an unpaired surrogate (U+D800 failed every run with
     * InvalidPathException) or a character the file system's encoding cannot write.
     */
    private static String fileNameSafe(String name) {
        StringBuilder safe = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Console.isBidiControl(codePoint)) {
                continue;
            }
            boolean lone = Character.isSurrogate((char) codePoint) && Character.charCount(codePoint) == 1;
            safe.append(lone || !FILE_NAME_ENCODER.get().canEncode(new String(Character.toChars(codePoint))) ? "_"
                    : new String(Character.toChars(codePoint)));
        }
        return safe.toString();
    }

    /** Cuts at a code point boundary so no character is split into invalid UTF-8. */
    private static String truncateUtf8(String text, int maxBytes) {
        if (text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return text;
        }
        StringBuilder kept = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > maxBytes) {
                break;
            }
            kept.appendCodePoint(codePoint);
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return kept.toString();
    }

    private static String printable(String text) {
        if (text == null) {
            return "(none)";
        }
        String shown = text.length() > 60 ? text.substring(0, 60) + "…" : text;
        return '"' + shown.replaceAll("\\p{Cntrl}", "?") + '"';
    }
}
