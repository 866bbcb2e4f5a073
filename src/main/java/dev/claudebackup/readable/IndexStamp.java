package dev.claudebackup.readable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.claudebackup.store.BackupFolder;

/**
 * What readable/ was last made from, in readable/index-stamp.txt, so that a run that saved nothing
 * renders, reads and writes nothing there. Every file of the backup is written under a temporary name
 * and renamed into its folder, so a chat or project saved, renamed or deleted changes its folder's
 * modification time: the stamp is those times (organizations/, each organization's folder, its chats',
 * projects' and files' folders, each project's folder; account.json, written at every run, by its
 * content), and what readable/ holds at its top and in each folder there (a page or a folder deleted,
 * readable/ deleted or replaced by a link). When the stamp differs, or is missing, the run's end looks
 * at every chat as before. A run that saved a chat or a project never relies on it.
 */
final class IndexStamp {

    static final String FILE = "index-stamp.txt";
    /** Changed when the rendering changes what it writes, so that the next run looks at everything again. */
    private static final String FORMAT = "readable 1";

    private final ReadableFolder folder;

    IndexStamp(ReadableFolder folder) {
        this.folder = folder;
    }

    /** The sources' side of the stamp: taken before the run's end looks at them. */
    String sources() throws IOException {
        StringBuilder stamp = new StringBuilder(FORMAT).append('\n');
        stamp.append("account.json ").append(digest(folder.backupRoot().resolve("account.json"))).append('\n');
        Path organizations = folder.organizations();
        entry(stamp, organizations, false);
        for (Path organization : folders(organizations)) {
            // not the organization's own folder: its chat list and projects.json are written at every run
            for (String part : List.of(ReadableCopy.CHATS, Projects.PROJECTS, "files")) {
                entry(stamp, organization.resolve(part), false);
            }
            for (Path project : folders(organization.resolve(Projects.PROJECTS))) {
                entry(stamp, project, false);
            }
        }
        return stamp.toString();
    }

    /** Whether readable/ is as the last complete update left it, made from these sources. */
    boolean matches(String sources) throws IOException {
        Path file = folder.root().resolve(FILE);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        return Files.readString(file, StandardCharsets.UTF_8).equals(sources + readable());
    }

    /** Written last, once readable/ is up to date with these sources. */
    void save(String sources) throws IOException {
        folder.write(folder.resolve(FILE), sources + readable());
    }

    /** The next run's end looks at everything (something could not be rendered). */
    void clear() throws IOException {
        folder.delete(folder.resolve(FILE));
    }

    /** readable/'s side: its top's entries (but the stamp) and each folder in it, one level down. */
    private String readable() throws IOException {
        StringBuilder stamp = new StringBuilder();
        Path root = folder.root();
        // its own time changes as the stamp is written: only what it is
        boolean real = Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS);
        stamp.append(real ? "readable folder\n" : Files.isSymbolicLink(root) ? "readable link\n" : "readable absent\n");
        if (!real) {
            return stamp.toString();
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> top = Files.newDirectoryStream(root)) {
            top.forEach(entries::add);
        }
        entries.sort(null);
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (name.equals(FILE) || name.startsWith(BackupFolder.TEMP_PREFIX)) {
                continue;
            }
            entry(stamp, entry, true);
            for (Path inside : folders(entry)) {
                entry(stamp, inside, false);
            }
        }
        return stamp.toString();
    }

    /** The file's SHA-256, or "absent". */
    private static String digest(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return "absent";
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }

    /**
     * The real folders in a folder (never through a link), sorted. A page's or a Markdown file's name is
     * taken for a file without a look: an organization's folder in readable/ holds two per chat.
     */
    private static List<Path> folders(Path parent) throws IOException {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, path -> !isPageName(path.getFileName().toString())
                    && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))) {
                entries.forEach(found::add);
            }
        }
        found.sort(null);
        return found;
    }

    private static boolean isPageName(String name) {
        return name.endsWith(".html") || name.endsWith(".md");
    }

    /** One line: the path, what it is (a link is never followed), its modification time, and its size when asked. */
    private void entry(StringBuilder stamp, Path path, boolean withSize) throws IOException {
        stamp.append(folder.backupRoot().relativize(path)).append(' ');
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            stamp.append(attributes.isSymbolicLink() ? "link" : attributes.isDirectory() ? "folder" : "file").append(' ')
                    .append(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
            if (withSize) {
                stamp.append(' ').append(attributes.size());
            }
        } catch (NoSuchFileException absent) {
            stamp.append("absent");
        }
        stamp.append('\n');
    }
}
