package dev.claudebackup.store;

import java.io.IOException;
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

/**
 * What the backup's JSON looks like now, in a few lines, for what is derived from it (the readable copy,
 * the search index) to keep the one it was last made from: equal, a run that saved nothing has nothing
 * for it to look at. Every file of the backup is written under a temporary name and renamed into its
 * folder, so a chat or project saved, renamed or deleted changes its folder's modification time: the
 * stamp is those times (organizations/, each organization's chats', projects' and files' folders, each
 * project's folder), and account.json and each organization's memory.json, written at every run, by their
 * content. Not the organization's own folder: its chat list and projects.json are written at every run.
 */
public final class SourcesStamp {

    private SourcesStamp() {
    }

    public static String of(Path backupRoot) throws IOException {
        StringBuilder stamp = new StringBuilder();
        stamp.append("account.json ").append(digest(backupRoot.resolve("account.json"))).append('\n');
        Path organizations = backupRoot.resolve(BackupFolder.ORGANIZATIONS);
        entry(stamp, backupRoot, organizations, false);
        for (Path organization : folders(organizations)) {
            for (String part : List.of("chat_conversations", "projects", "files")) {
                entry(stamp, backupRoot, organization.resolve(part), false);
            }
            Path memory = organization.resolve("memory.json"); // written at every run too: by its content
            stamp.append(backupRoot.relativize(memory)).append(' ').append(digest(memory)).append('\n');
            for (Path project : folders(organization.resolve("projects"))) {
                entry(stamp, backupRoot, project, false);
            }
        }
        return stamp.toString();
    }

    /**
     * The real folders in a folder (never through a link), sorted. A page's or a Markdown file's name is
     * taken for a file without a look: an organization's folder in readable/ holds two per chat.
     */
    public static List<Path> folders(Path parent) throws IOException {
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

    /**
     * One line: the path from the backup folder, what it is (a link is never followed), its modification
     * time, and its size when asked.
     */
    public static void entry(StringBuilder stamp, Path backupRoot, Path path, boolean withSize) throws IOException {
        stamp.append(backupRoot.relativize(path)).append(' ');
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
}
