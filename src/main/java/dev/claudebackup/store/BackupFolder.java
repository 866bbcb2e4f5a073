package dev.claudebackup.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeExtension;
import org.apache.camel.Message;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.MessageHelper;

/**
 * The backup folder and the paths inside it. Every relative path from the routes is resolved here and
 * checked to stay inside, so no name or uuid from the API can write, rename or delete elsewhere.
 *
 * <p>Nothing inside the folder is ever followed as a symbolic link for a write, a rename, a chmod, a lock
 * or a delete (a group-writable volume lets someone else plant one): every folder on the way to a file
 * is checked to be a real folder, temporary files are created exclusively under unpredictable names, and
 * a run finds planted links before it touches anything ({@link #requireNoPlantedLinks}). The backup
 * folder itself may be a link: it is resolved once, when the run begins.
 */
public final class BackupFolder {

    public static final String STATE_FOLDER = ".claude-backup";
    public static final String ORGANIZATIONS = "organizations";
    /** Files are written to a name with this prefix first and renamed: a file is whole or absent. */
    public static final String TEMP_PREFIX = ".part-";
    /** A rename in place ({@link #rename}) goes through a name with this prefix. */
    public static final String RENAME_PREFIX = ".rename-";

    public static final String SPOOL_FOLDER = "spool";
    /** In the state folder: the last run left no temporary file behind ({@link #endedCleanly}). */
    static final String ENDED_CLEANLY = "ended-cleanly";
    /** Exchange property: the sha-256 (hex) of the file {@link #write(Exchange)} wrote last. */
    public static final String WRITTEN_SHA256_PROPERTY = "writtenSha256";
    /** Exchange property: {@link #writeChat} left the new file unforced, for the group's sync ({@link FileSystemSync}). */
    public static final String UNFORCED_PROPERTY = "chatFileUnforced";
    /** Camel's spool files clean themselves up with a completion of a class of this package. */
    private static final String CAMEL_STREAM_CACHE_PACKAGE = "org.apache.camel.converter.stream.";
    /**
     * Temporary names: a random part drawn once per process, then a count. A draw per file read
     * /dev/urandom under a lock for each of the three files a chat can make (1 % of the readable copy's
     * CPU); the folders are 0700 and the files created exclusively, so a name need only be unguessable
     * from outside and unique.
     */
    private static final String PROCESS_PART = processPart();
    private static final AtomicLong TEMP_NAMES = new AtomicLong();
    private static final Pattern TEMPORARY_NAME = Pattern.compile(Pattern.quote(TEMP_PREFIX) + "[0-9a-f]{25,}");

    private volatile Path root;
    private volatile boolean markMayExist = true;
    /** Set once {@link #removeLeftoverTempFiles} has made sure no temporary file is left: only then is a clean end said. */
    private volatile boolean noLeftovers;
    private volatile FileSystemSync fileSystemSync;

    public BackupFolder(Path root) {
        this.root = resolvedOnce(root.toAbsolutePath().normalize());
    }

    public Path root() {
        return root;
    }

    public Path stateFolder() {
        return root.resolve(STATE_FOLDER);
    }

    /** Where Camel's stream cache spools answers over 1 MB: private, inside the backup, never the shared $TMPDIR. */
    public Path spoolFolder() {
        return stateFolder().resolve(SPOOL_FOLDER);
    }

    /**
     * Makes the spool folder ready before Camel starts (it would make it itself, following links, with the
     * default mode): 0700, every folder on the way a real one, and emptied of what a killed run left
     * there (private conversations).
     */
    public Path prepareSpool() throws IOException {
        Path spool = createFolders(spoolFolder());
        PrivateFiles.restrict(spool);
        try (Stream<Path> leftovers = Files.list(spool)) {
            for (Path leftover : (Iterable<Path>) leftovers::iterator) {
                if (!Files.isDirectory(leftover, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(leftover);
                }
            }
        }
        return spool;
    }

    /**
     * Deletes the chat's spooled answer now that it is written and announced. Camel deletes a spool file
     * when its exchange completes, but a chat's exchange in the split hands that over to its
     * organization's, which kept every big chat's spool file until the whole organization was done.
     */
    public void releaseSpooledBody(Exchange exchange) {
        ExchangeExtension extension = exchange.getExchangeExtension();
        List<Synchronization> completions = extension.handoverCompletions();
        if (completions == null) {
            return;
        }
        for (Synchronization completion : completions) {
            if (completion.getClass().getName().startsWith(CAMEL_STREAM_CACHE_PACKAGE)) {
                completion.onComplete(exchange);
            } else {
                extension.addOnCompletion(completion);
            }
        }
    }

    public Path organizations() {
        return root.resolve(ORGANIZATIONS);
    }

    /** Resolves a path relative to the backup folder, refusing any that would leave it. */
    public Path resolve(String relative) {
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw new IllegalArgumentException("refusing a path outside the backup folder: " + relative);
        }
        return resolved;
    }

    public String relativize(Path path) {
        return root.relativize(path.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** Creates the backup and state folders, mode 0700; the backup folder (or a link to it) is resolved here, once. */
    public void create() throws IOException {
        PrivateFiles.createFolders(root);
        root = resolvedOnce(root);
        fileSystemSync = null; // made for the resolved folder, at the first chat written
        createFolders(stateFolder());
    }

    /**
     * Stops the run before anything is touched when a symbolic link stands where claude-backup expects a
     * real folder or its own state: the state folder and everything in it, {@code organizations}, each
     * organization's folder and the folders in it.
     */
    public void requireNoPlantedLinks() throws PlantedLinkException {
        requireNoPlantedLinks(true);
    }

    /**
     * The same for the state folder alone: what the start checks before Camel's stream cache spools into
     * it. Each run checks everything ({@link #requireNoPlantedLinks()}) before it writes, so the start does
     * not walk every chat file a second time.
     */
    public void requireNoPlantedLinksInState() throws PlantedLinkException {
        requireNoPlantedLinks(false);
    }

    private void requireNoPlantedLinks(boolean organizationsToo) throws PlantedLinkException {
        Path top = root;
        if (!Files.isDirectory(top)) {
            return;
        }
        List<Path> planted = new ArrayList<>();
        check(stateFolder(), planted);
        if (isRealFolder(stateFolder())) {
            listInto(stateFolder(), 1, planted);
        }
        if (organizationsToo) {
            check(organizations(), planted);
            if (isRealFolder(organizations())) {
                listInto(organizations(), 1, planted);
            }
        }
        if (!planted.isEmpty()) {
            throw new PlantedLinkException(planted.get(0));
        }
    }

    /**
     * Level 1: the state folder's files, or the organization folders: any link is planted. Level 2: what an
     * organization folder holds: a link is planted unless it stands for a JSON file (only ever replaced by a
     * rename, never written through). Level 3: a link to a folder is planted.
     */
    private static void listInto(Path folder, int level, List<Path> planted) {
        try (Stream<Path> children = Files.list(folder)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                if (Files.isSymbolicLink(child)) {
                    boolean toFolder = Files.isDirectory(child);
                    boolean json = child.getFileName().toString().endsWith(".json");
                    if (level == 1 || level == 2 && (!json || toFolder) || level == 3 && toFolder) {
                        planted.add(child);
                    }
                } else if (level < 3 && isRealFolder(child)) {
                    listInto(child, level + 1, planted);
                }
            }
        } catch (IOException unreadable) {
            // what cannot be listed cannot be written either; the write says why
        }
    }

    private static void check(Path path, List<Path> planted) {
        if (Files.isSymbolicLink(path)) {
            planted.add(path);
        }
    }

    private static boolean isRealFolder(Path path) {
        return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Creates the folder inside the backup folder and any missing one on the way, each 0700; every one on
     * the way must be a real folder, never a link.
     */
    public Path createFolders(Path folder) throws IOException {
        return walkInside(folder, true);
    }

    /** Checks that the folder and every one on the way inside the backup folder is a real folder, never a link. */
    public Path requireRealFolders(Path folder) throws IOException {
        return walkInside(folder, false);
    }

    private Path walkInside(Path folder, boolean create) throws IOException {
        Path top = root;
        Path absolute = folder.toAbsolutePath().normalize();
        if (!absolute.startsWith(top)) {
            throw new IllegalArgumentException("refusing a folder outside the backup folder: " + folder);
        }
        Path at = top;
        for (Path part : top.relativize(absolute)) {
            if (part.toString().isEmpty()) {
                continue;
            }
            at = at.resolve(part);
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(at, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException missing) {
                if (!create) {
                    throw missing;
                }
                try {
                    PrivateFiles.createFolder(at);
                    continue;
                } catch (FileAlreadyExistsException createdMeanwhile) {
                    attributes = Files.readAttributes(at, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                }
            }
            if (attributes.isSymbolicLink()) {
                throw new PlantedLinkException(at);
            }
            if (!attributes.isDirectory()) {
                throw new FileAlreadyExistsException(at.toString());
            }
        }
        return absolute;
    }

    /**
     * The write-backup-file route: the body to header {@code CamelFileName} (relative to the backup
     * folder), written to a temporary file of an unpredictable name created exclusively in the same
     * folder (mode 0600, its bytes forced to disk), then renamed over the old file in one atomic step, so a
     * file is always whole and never missing. Written through this bean, never a Camel file endpoint: the
     * backup folder is a path, and an endpoint URI would read {@code %41}, {@code ?} or {@code {{...}}}
     * in it. A failed write leaves no temporary file behind.
     */
    public void write(Exchange exchange) throws IOException {
        write(exchange, false);
    }

    /**
     * The write-chat-file route: a chat's file, written as {@link #write(Exchange)} writes, but a new chat's
     * (no file of that name yet, and no earlier file of the chat's) on a file system that {@link FileSystemSync}
     * can sync whole is not forced here: exchange property {@link #UNFORCED_PROPERTY} says so, and
     * {@link SavedChats} commits its record only after one sync for the whole group. A file replacing another,
     * or a renamed chat's (its old file goes at once), is forced before the rename, so a power cut never
     * leaves an empty file where a good one was.
     */
    public void writeChat(Exchange exchange) throws IOException {
        write(exchange, true);
    }

    private void write(Exchange exchange, boolean chat) throws IOException {
        Message message = exchange.getMessage();
        String relative = message.getHeader(Exchange.FILE_NAME, String.class);
        if (relative == null || relative.isBlank()) {
            throw new IllegalArgumentException("no file name (header CamelFileName) to write");
        }
        Path target = resolve(relative);
        // a renamed chat's old file is deleted right after (ChatFiles.saved): its new one must be on disk first.
        // File.exists, not Files.exists: on Java 17 the latter builds a NoSuchFileException for every new chat
        // (a quarter of this write's CPU); it follows a link, and a dangling one holds nothing to lose
        boolean unforced = chat && exchange.getProperty(ChatFiles.PREVIOUS_FILE_PROPERTY) == null
                && fileSystemSync().covers(target.getParent()) && !target.toFile().exists();
        MessageHelper.resetStreamCache(message);
        // hashed as it is written: the state records a chat's sha-256, and reading the file again cost more
        MessageDigest digest = FileDigests.newSha256();
        try (InputStream body = message.getBody(InputStream.class);
             InputStream in = body == null ? null : new DigestInputStream(body, digest)) {
            write(target, in, !unforced);
        } finally {
            MessageHelper.resetStreamCache(message);
        }
        message.setHeader(Exchange.FILE_NAME_PRODUCED, target.toString());
        exchange.setProperty(WRITTEN_SHA256_PROPERTY, FileDigests.hex(digest));
        if (chat) {
            exchange.setProperty(UNFORCED_PROPERTY, unforced);
        }
    }

    /** A sync of one's own (tests: one that fails). */
    void useFileSystemSync(FileSystemSync sync) {
        fileSystemSync = sync;
    }

    /** Closes the file system's descriptor (the state's close, every file left unforced synced first). */
    void closeFileSystemSync() {
        FileSystemSync sync = fileSystemSync;
        if (sync != null) {
            sync.close();
        }
    }

    /** The sync of the backup's file system that puts a group of new chat files on disk at once. */
    public FileSystemSync fileSystemSync() {
        FileSystemSync sync = fileSystemSync;
        if (sync == null) {
            synchronized (this) {
                sync = fileSystemSync;
                if (sync == null) {
                    sync = FileSystemSync.of(root);
                    fileSystemSync = sync;
                }
            }
        }
        return sync;
    }

    /**
     * Writes a file inside the backup folder whole, as {@link #write(Exchange)} does: every folder on the
     * way a real one (made 0700 when missing), a temporary file of an unpredictable name created
     * exclusively (0600), then an atomic rename over the old file (a link standing there is replaced, never
     * followed). {@code force}: its bytes on disk before the rename (the JSON; not derived files that can
     * be rebuilt).
     */
    public void write(Path target, InputStream in, boolean force) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        if (!absolute.startsWith(root) || absolute.equals(root)) {
            throw new IllegalArgumentException("refusing a path outside the backup folder: " + target);
        }
        forgetEndedCleanly();
        Path folder = createFolders(absolute.getParent());
        Path temporary = folder.resolve(temporaryName());
        try {
            try (FileChannel channel = PrivateFiles.createNewFile(temporary);
                 OutputStream out = Channels.newOutputStream(channel)) {
                if (in != null) {
                    in.transferTo(out);
                }
                if (force) {
                    channel.force(true);
                }
            }
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileSystemException e) {
            Files.deleteIfExists(temporary);
            throw e;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            // "No space left on device" and the like come as plain IOExceptions: a write failure all the same
            FileSystemException failed = new FileSystemException(temporary.toString(), null, String.valueOf(e.getMessage()));
            failed.initCause(e);
            throw failed;
        }
    }

    private static String processPart() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String uniquePart() {
        return PROCESS_PART + Long.toHexString(TEMP_NAMES.incrementAndGet());
    }

    /** A name for a temporary file or folder, unique and unguessable: every run removes what a killed one left. */
    public static String temporaryName() {
        return TEMP_PREFIX + uniquePart();
    }

    /** Whether the name is one {@link #temporaryName} makes (never a name a person gave a file of their own). */
    public static boolean isTemporaryName(String name) {
        return TEMPORARY_NAME.matcher(name).matches();
    }

    /** Deletes a file inside the backup folder; every folder on the way must be a real folder. */
    public boolean delete(String relative) throws IOException {
        Path file = resolve(relative);
        try {
            walkInside(file.getParent(), false);
        } catch (NoSuchFileException gone) {
            return false;
        }
        return Files.deleteIfExists(file); // a link itself would be removed, never what it points to
    }

    /** Renames inside the backup folder (atomically where it can); every folder on the way must be a real folder. */
    public void move(Path source, Path target) throws IOException {
        walkInside(source.getParent(), false);
        walkInside(target.getParent(), false);
        Files.move(source, target, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Renames a file or folder inside the backup folder to a new spelling of its name. When the file
     * system says both names are one entry (a case-only or normalization-only change on macOS or
     * Windows), {@link Files#move} would do nothing, so it goes through a temporary name that keeps the
     * old name's end (its uuid: a run killed half-way finds it again). When the new name is another
     * entry already (names that only look alike on a case-sensitive file system), nothing moves.
     *
     * @return whether the entry now has the new name
     */
    public boolean rename(Path source, Path target) throws IOException {
        walkInside(source.getParent(), false);
        walkInside(target.getParent(), false);
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(source, target, LinkOption.NOFOLLOW_LINKS);
            return true;
        }
        if (!Files.isSameFile(source, target)) {
            return false;
        }
        String prefix = RENAME_PREFIX + uniquePart() + "-";
        String name = source.getFileName().toString();
        while (!name.isEmpty() && (prefix + name).getBytes(StandardCharsets.UTF_8).length > 255) {
            name = name.substring(name.offsetByCodePoints(0, 1)); // its end, the uuid, is what a run finds it by
        }
        Path temporary = source.resolveSibling(prefix + name);
        Files.move(source, temporary, LinkOption.NOFOLLOW_LINKS);
        Files.move(temporary, target, LinkOption.NOFOLLOW_LINKS);
        return true;
    }

    /**
     * Deletes a folder inside the backup folder and all it holds: every folder on the way must be a real
     * folder, and a link inside is removed itself, never followed.
     */
    public void deleteFolder(String relative) throws IOException {
        Path folder = resolve(relative);
        try {
            walkInside(folder, false);
        } catch (NoSuchFileException gone) {
            return;
        }
        deleteTree(folder);
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> children = Files.list(folder)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                if (isRealFolder(child)) {
                    deleteTree(child);
                } else {
                    Files.deleteIfExists(child);
                }
            }
        }
        Files.deleteIfExists(folder);
    }

    /**
     * Removes the temporary files a killed run left behind: {@code account.json}'s at the top, and the
     * lists' and chats' in the organization folders. They never replaced a good file. After a run that
     * ended as it should (its {@link #endedCleanly} mark is there) there are none, and the backup is not
     * walked: at 3,000 chats that walk was a stat of every file at every run.
     */
    public void removeLeftoverTempFiles() throws IOException {
        noLeftovers = false; // a scheduled process: this run's look counts, not the last one's
        Path mark = stateFolder().resolve(ENDED_CLEANLY);
        boolean clean = Files.deleteIfExists(mark);
        markMayExist = false;
        if (clean) {
            PrivateFiles.forceFolder(stateFolder()); // gone for good before this run writes a temporary file
        } else {
            try (var paths = Files.walk(root, 4)) {
                for (Path path : (Iterable<Path>) paths::iterator) {
                    if (!path.startsWith(stateFolder()) && path.getFileName().toString().startsWith(TEMP_PREFIX)
                            && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }
        noLeftovers = true;
    }

    /**
     * The run ended with no temporary file of its own left (every write renamed or removed its own):
     * the next run need not look for them. A process that writes (render, a run) takes the mark away first.
     */
    public void endedCleanly() throws IOException {
        if (!noLeftovers) {
            return; // this process never saw the backup free of leftovers (the look for them failed, or never came)
        }
        Path mark = stateFolder().resolve(ENDED_CLEANLY);
        try (FileChannel created = PrivateFiles.createNewFile(mark)) {
            created.force(true);
        } catch (java.nio.file.FileAlreadyExistsException already) {
            // a mark left by a run that crashed right after making it: as good
        }
        markMayExist = true; // whatever this process writes next takes it away again
    }

    /** The first write of a process that did not start with {@link #removeLeftoverTempFiles} takes the mark away. */
    private void forgetEndedCleanly() throws IOException {
        if (markMayExist) {
            if (Files.deleteIfExists(stateFolder().resolve(ENDED_CLEANLY))) {
                PrivateFiles.forceFolder(stateFolder());
            }
            markMayExist = false;
        }
    }

    private static Path resolvedOnce(Path path) {
        try {
            return Files.exists(path) ? path.toRealPath() : path;
        } catch (IOException e) {
            return path;
        }
    }

    /** A symbolic link where claude-backup expects a real folder or its own file: the run stops (exit 2). */
    public static final class PlantedLinkException extends FileSystemException {
        public PlantedLinkException(Path link) {
            super(link.toString(), null, "a symbolic link where claude-backup expects a real folder or a file of its own"
                    + " (it never follows one inside the backup folder); remove the link, or put the real folder there, then run again");
        }
    }
}
