package dev.claudebackup.readable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.SourcesStamp;

/**
 * What readable/ was last made from, in readable/index-stamp.txt, so that a run that saved nothing
 * renders, reads and writes nothing there: the backup's {@link SourcesStamp}, and what readable/ holds at
 * its top and in each folder there (a page or a folder deleted, readable/ deleted or replaced by a link).
 * When the stamp differs, or is missing, the run's end looks at every chat as before. A run that saved a
 * chat or a project never relies on it.
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
        return FORMAT + '\n' + SourcesStamp.of(folder.backupRoot());
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
            SourcesStamp.entry(stamp, folder.backupRoot(), entry, true);
            for (Path inside : SourcesStamp.folders(entry)) {
                SourcesStamp.entry(stamp, folder.backupRoot(), inside, false);
            }
        }
        return stamp.toString();
    }
}
