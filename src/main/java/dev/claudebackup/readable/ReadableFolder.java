package dev.claudebackup.readable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.PrivateFiles;

/**
 * The readable copy's folder (readable.dir, relative to the backup folder): every path is checked to
 * stay inside it, every file is written whole (a temporary name, then an atomic rename; or, for an
 * organization's first copy, in a staging folder renamed into place whole, {@link #stage}), files 0600
 * and folders 0700 like the rest of the backup. Written, renamed and deleted through the backup folder's
 * link-safe pieces ({@link BackupFolder#write(Path, InputStream, boolean)}, its folders and deletes): no
 * symbolic link inside is ever followed, and a link planted where a folder of it belongs stops the render
 * ({@link #requireNoPlantedLinks}).
 */
public final class ReadableFolder {

    /** The page's script and style, shipped in the jar, copied to readable/assets/. */
    static final List<String> ASSETS = List.of("chat.js", "index.js", "readable.css");

    /** What a name from claude.ai keeps in a file name: letters, digits, dot, dash, underscore. */
    private static final Pattern NOT_SAFE = Pattern.compile("[^\\p{L}\\p{N}._-]+");
    private static final int MAX_NAME_CHARS = 100;
    /** readable/<OrgSlug>/<ChatSlug>/artifacts/<file>: deeper than that it makes nothing. */
    private static final int DEPTH = 4;

    /** Where the link-safe writes start from: the backup folder, or readable.dir's parent when it is outside. */
    private final BackupFolder writer;
    private final Path backupRoot;
    private final Path root;
    private volatile boolean assetsCopied;
    /** Organizations whose first copy is being made in a folder of its own ({@link #stage}), by slug. */
    private final Map<String, Path> staged = new ConcurrentHashMap<>();

    public ReadableFolder(Path backupRoot, String readableDir) {
        BackupFolder backup = new BackupFolder(backupRoot);
        Path inBackup = rootOf(backup.root(), readableDir);
        this.writer = inBackup.startsWith(backup.root()) ? backup : new BackupFolder(inBackup.getParent());
        this.backupRoot = backup.root();
        this.root = writer == backup ? inBackup : writer.root().resolve(inBackup.getFileName());
    }

    /** The readable copy's folder: readable.dir resolved against the backup folder ({@code readable} when blank). */
    public static Path rootOf(Path backupRoot, String readableDir) {
        String dir = readableDir == null || readableDir.isBlank() ? "readable" : readableDir;
        return backupRoot.toAbsolutePath().normalize().resolve(dir).normalize();
    }

    public Path root() {
        return root;
    }

    public Path backupRoot() {
        return backupRoot;
    }

    public Path organizations() {
        return backupRoot.resolve(BackupFolder.ORGANIZATIONS);
    }

    /** A path below readable/, refusing any that would leave it. */
    public Path resolve(String... parts) {
        return below(root, parts);
    }

    /** A path below {@code folder}, refusing any that would leave it (a name from claude.ai among the parts). */
    private static Path below(Path folder, String... parts) {
        Path path = folder;
        for (String part : parts) {
            path = path.resolve(part);
        }
        path = path.normalize();
        if (!path.startsWith(folder) || path.equals(folder)) {
            throw new IllegalArgumentException("refusing a path outside " + folder + ": " + String.join("/", parts));
        }
        return path;
    }

    /**
     * The folder an organization's chat pages are written to: {@code readable/<OrgSlug>/}, or while its
     * first copy is made, the folder it is made in ({@link #stage}). Links in the pages are made from
     * {@code readable/<OrgSlug>/} all the same: the two are side by side.
     */
    Path pages(String orgSlug) {
        Path staging = staged.get(orgSlug);
        return staging != null ? staging : resolve(orgSlug);
    }

    /** A path in the folder of an organization's pages ({@link #pages}), refusing any that would leave it. */
    Path page(String orgSlug, String... parts) {
        return below(pages(orgSlug), parts);
    }

    /**
     * Makes an organization that has no folder in readable/ yet (its first backup, or a deleted readable/)
     * in a temporary folder beside it, {@code readable/.part-…}, renamed into place whole by {@link #unstage}
     * (at the end of the run, whoever rendered its chats: the thread rendering ahead, or the run's end):
     * its files are created there under their own names, whole once the folder is renamed, without a
     * temporary name and a rename of each (a tenth of the rendering's CPU). Folder 0700, created exclusively
     * by this process in a readable/ nobody else can write in, so nothing in it is looked at for links. A
     * killed render leaves it out of sight, to be removed by the next ({@link #removeLeftovers}).
     *
     * @return whether the organization is staged (false: it has a folder, or readable/ is not this user's
     *         alone, and it is written file by file)
     */
    synchronized boolean stage(String orgSlug) throws IOException {
        if (staged.containsKey(orgSlug)) {
            return true;
        }
        if (Files.exists(resolve(orgSlug), LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        writer.createFolders(root);
        Path staging = root.resolve(BackupFolder.temporaryName());
        PrivateFiles.createFolder(staging);
        if (!onlyMine(staging)) {
            Files.delete(staging);
            return false;
        }
        staged.put(orgSlug, staging);
        return true;
    }

    /**
     * Whether nobody else can write in readable/ (it is this user's, not group- or world-writable), so
     * that nobody can put a link where the staging folder is while its files are made in it, unlooked at.
     * Where the file system has no POSIX modes, the organization is written file by file instead.
     */
    private boolean onlyMine(Path staging) throws IOException {
        try {
            PosixFileAttributes readable = Files.readAttributes(root, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            PosixFileAttributes mine = Files.readAttributes(staging, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return readable.owner().equals(mine.owner())
                    && !readable.permissions().contains(PosixFilePermission.GROUP_WRITE)
                    && !readable.permissions().contains(PosixFilePermission.OTHERS_WRITE);
        } catch (UnsupportedOperationException noModes) {
            return false;
        }
    }

    /** The organizations staged now, by slug. */
    Set<String> stagedOrganizations() {
        return Set.copyOf(staged.keySet());
    }

    /**
     * Renames the organization's staging folder into place. When a folder of its name appeared meanwhile
     * (made by hand), the staging folder is removed and the rename's failure thrown: its chats are
     * rendered again at the next update, since their pages are not there.
     */
    synchronized void unstage(String orgSlug) throws IOException {
        Path staging = staged.remove(orgSlug);
        if (staging == null) {
            return;
        }
        try {
            Files.move(staging, resolve(orgSlug)); // refuses when anything has the name; a rename of the folder in one step
        } catch (IOException e) {
            try {
                delete(staging);
            } catch (IOException alsoFailed) {
                e.addSuppressed(alsoFailed); // removed by the next update (removeLeftovers)
            }
            throw e;
        }
    }

    /** Removes the temporary files and staging folders ({@link #stage}) a killed render left at the top of readable/. */
    void removeLeftovers() throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> leftovers = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root,
                path -> BackupFolder.isTemporaryName(path.getFileName().toString()) && !staged.containsValue(path))) {
            entries.forEach(leftovers::add);
        }
        for (Path leftover : leftovers) {
            delete(leftover);
        }
    }

    /**
     * Stops before anything is written when a symbolic link stands for readable/ or for a folder in it (a
     * group-writable volume lets someone else plant one, to have the render write or delete elsewhere).
     */
    public void requireNoPlantedLinks() throws IOException {
        if (Files.isSymbolicLink(root)) {
            throw new BackupFolder.PlantedLinkException(root);
        }
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        writer.requireRealFolders(root);
        // one lstat per entry (never following a link), a second only for a link
        Files.walkFileTree(root, Set.of(), DEPTH, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path path, BasicFileAttributes attributes) throws IOException {
                if (attributes.isSymbolicLink() && Files.isDirectory(path)) {
                    throw new BackupFolder.PlantedLinkException(path);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path path, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // deleted while walking
                }
                throw e;
            }
        });
    }

    public void write(Path file, String text) throws IOException {
        write(file, text, true);
    }

    /** As {@link #write(Path, byte[])}; when the file cannot be there yet ({@code mayExist} false), not looked for first. */
    void write(Path file, String text, boolean mayExist) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8), mayExist);
    }

    /**
     * Whole or not at all (see {@link BackupFolder#write(Path, InputStream, boolean)}; in a staging folder,
     * created there, {@link #stage}). A file that already holds these bytes is left as it is, so a run that
     * changed nothing changes nothing here (a git history or a sync tool sees no change). Not forced to
     * disk: it can be rebuilt.
     */
    public void write(Path file, byte[] bytes) throws IOException {
        write(file, bytes, true);
    }

    private void write(Path file, byte[] bytes, boolean mayExist) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new IllegalArgumentException("refusing a path outside " + root + ": " + file);
        }
        if (isStaged(target)) {
            writeNew(target, bytes);
            return;
        }
        if (mayExist && holds(target, bytes)) {
            return;
        }
        // makes the folders on the way each time (a readable/ deleted while --schedule runs comes back),
        // checking each is a real one; chats rendered at once on several threads may make one together: it copes
        writer.write(target, new ByteArrayInputStream(bytes), false);
    }

    private boolean isStaged(Path target) {
        for (Path staging : staged.values()) {
            if (target.startsWith(staging)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A file of a staging folder: created exclusively under its own name, removed again when it cannot be
     * written whole (the folder is renamed into place only when every file in it is).
     */
    private void writeNew(Path target, byte[] bytes) throws IOException {
        if (!staged.containsValue(target.getParent())) {
            writer.createFolders(target.getParent()); // a chat's artifacts/ folder
        }
        FileChannel created;
        try {
            created = PrivateFiles.createNewFile(target);
        } catch (FileAlreadyExistsException twice) {
            writer.write(target, new ByteArrayInputStream(bytes), false); // written whole over it, as outside a staging folder
            return;
        }
        try (FileChannel channel = created) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(target); // made here, half written
            throw e;
        }
    }

    /** Whether the file (not what a link there points to) holds these bytes. */
    private static boolean holds(Path file, byte[] bytes) throws IOException {
        if (!file.toFile().exists()) {
            // most files of a first render are new: no NoSuchFileException (and its stack) for each; a
            // dangling link there is replaced by the rename all the same
            return false;
        }
        try {
            BasicFileAttributes existing = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!existing.isRegularFile() || existing.size() != bytes.length) {
                return false;
            }
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                return Arrays.equals(in.readAllBytes(), bytes);
            }
        } catch (NoSuchFileException absent) {
            return false;
        }
    }

    /** Copies the script and style into readable/assets/ once per process (a deleted readable/ gets them back). */
    public synchronized void copyAssets() throws IOException {
        if (assetsCopied && Files.isDirectory(root.resolve("assets"))) {
            return;
        }
        for (String asset : ASSETS) {
            try (InputStream in = ReadableFolder.class.getResourceAsStream("/readable/assets/" + asset)) {
                if (in == null) {
                    throw new IllegalStateException("readable/assets/" + asset + " is missing from the jar");
                }
                write(resolve("assets", asset), in.readAllBytes());
            }
        }
        assetsCopied = true;
    }

    /**
     * Removes a file or a whole folder below readable/ (a renamed or deleted chat's pages). Every folder on
     * the way must be a real one; a link is removed itself, never what it points to.
     */
    public void delete(Path path) throws IOException {
        Path target = path.toAbsolutePath().normalize();
        if (!target.startsWith(root) || target.equals(root) || !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            writer.requireRealFolders(target.getParent());
        } catch (NoSuchFileException gone) {
            return;
        }
        try (Stream<Path> paths = Files.walk(target)) { // never follows a link
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        }
    }

    /** A file name made of a name from claude.ai: no separator, no leading dot, never empty. */
    public static String safeName(String name, String fallback) {
        String safe = NOT_SAFE.matcher(name == null ? "" : name.strip()).replaceAll("_").replaceAll("^[._]+", "");
        if (safe.length() > MAX_NAME_CHARS) {
            safe = safe.substring(0, MAX_NAME_CHARS);
        }
        return safe.isEmpty() || safe.equals("-") ? fallback : safe;
    }

    /** A relative link to {@code target} from a page in {@code pageFolder}, each segment percent-encoded. */
    public static String link(Path pageFolder, Path target) {
        return encodePath(pageFolder.relativize(target).toString().replace('\\', '/'));
    }

    public static String encodePath(String path) {
        StringBuilder encoded = new StringBuilder(path.length() + 16);
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                encoded.append('/');
            }
            encoded.append(URLEncoder.encode(segments[i], StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return encoded.toString();
    }

    static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }
}
