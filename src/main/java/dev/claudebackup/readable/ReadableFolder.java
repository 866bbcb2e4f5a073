package dev.claudebackup.readable;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.PrivateFiles;

/**
 * The readable copy's folder (readable.dir, relative to the backup folder): every path is checked to
 * stay inside it, every file is written whole (a temporary name, then an atomic rename), files 0600 and
 * folders 0700 like the rest of the backup.
 */
public final class ReadableFolder {

    /** The page's script and style, shipped in the jar, copied to readable/assets/. */
    static final List<String> ASSETS = List.of("chat.js", "index.js", "readable.css");

    /** What a name from claude.ai keeps in a file name: letters, digits, dot, dash, underscore. */
    private static final Pattern NOT_SAFE = Pattern.compile("[^\\p{L}\\p{N}._-]+");
    private static final int MAX_NAME_CHARS = 100;

    private static final FileAttribute<?>[] PRIVATE_FILE =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                    : new FileAttribute<?>[0];

    /** Folders known to exist: a page's folder is made once, not looked up for every file. */
    private final Set<Path> folders = ConcurrentHashMap.newKeySet();
    private final Path backupRoot;
    private final Path root;
    private volatile boolean assetsCopied;

    public ReadableFolder(Path backupRoot, String readableDir) {
        this.backupRoot = backupRoot.toAbsolutePath().normalize();
        this.root = this.backupRoot.resolve(readableDir.isBlank() ? "readable" : readableDir).normalize();
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
        Path path = root;
        for (String part : parts) {
            path = path.resolve(part);
        }
        path = path.normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("refusing a path outside " + root + ": " + String.join("/", parts));
        }
        return path;
    }

    public void write(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whole or not at all: a temporary file beside it (created 0600), then renamed over the old one. A
     * file that already holds these bytes is left as it is, so a run that changed nothing changes nothing
     * here (a git history or a sync tool sees no change). Not forced to disk: it can be rebuilt.
     */
    public void write(Path file, byte[] bytes) throws IOException {
        if (!file.normalize().startsWith(root)) {
            throw new IllegalArgumentException("refusing a path outside " + root + ": " + file);
        }
        Path folder = file.getParent();
        if (!folders.contains(folder)) {
            createFolders(folder);
            folders.add(folder);
        }
        try {
            BasicFileAttributes existing = Files.readAttributes(file, BasicFileAttributes.class);
            if (existing.isRegularFile() && existing.size() == bytes.length && Arrays.equals(Files.readAllBytes(file), bytes)) {
                return;
            }
        } catch (NoSuchFileException absent) {
            // written below
        }
        // The prefix the chat slugs leave room for (ChatFileNamer): <ChatSlug>.html is as long as <ChatSlug>.json.
        Path temporary = file.resolveSibling(BackupFolder.TEMP_PREFIX + file.getFileName());
        try {
            writeNew(temporary, bytes);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /** 0700 folders; chats rendered at once on several threads may make the same one at the same time. */
    private static void createFolders(Path folder) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                PrivateFiles.createFolders(folder);
                return;
            } catch (FileAlreadyExistsException madeMeanwhile) {
                if (attempt == 5 || !Files.isDirectory(madeMeanwhile.getFile() == null ? folder : Path.of(madeMeanwhile.getFile()))) {
                    throw madeMeanwhile;
                }
            }
        }
    }

    /** A new file, private from its creation; a temporary file a killed run left is replaced. */
    private static void writeNew(Path file, byte[] bytes) throws IOException {
        try (SeekableByteChannel channel = create(file)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    private static SeekableByteChannel create(Path file) throws IOException {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            return Files.newByteChannel(file, options, PRIVATE_FILE);
        } catch (FileAlreadyExistsException leftover) {
            Files.delete(file);
        } catch (NoSuchFileException folderGone) {
            createFolders(file.getParent()); // readable/ deleted while the process runs (--schedule)
        }
        return Files.newByteChannel(file, options, PRIVATE_FILE);
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

    /** Removes a file or a whole folder below readable/ (a renamed or deleted chat's pages). */
    public void delete(Path path) throws IOException {
        if (!path.normalize().startsWith(root) || path.normalize().equals(root) || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
                folders.remove(each);
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
        return Arrays.stream(path.split("/", -1))
                .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }
}
