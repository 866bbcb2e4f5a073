package dev.claudebackup.store;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Puts a group of new chat files on disk with one {@code syncfs(2)} of the backup's file system, instead
 * of a fsync of each: a fsync per chat file was 11 % of the fetch threads' CPU in a full backup, most of
 * it a VM exit per I/O request (bench/RESULTS.md). {@link SavedChats} commits the group's records only
 * once the sync returned, so a chat is still recorded only once its file is on disk.
 *
 * <p>Only where one sync is as safe as a fsync of each file: Linux 5.17 or later (before 5.8 {@code syncfs}
 * reported no failed writeback, before 5.17 no failure of the file system's own sync: its journal, the
 * disk's cache), on amd64 or arm64 (the open flags below), the backup on a local
 * disk file system named in {@link #FILE_SYSTEMS} (FUSE and network file systems may return before the
 * bytes are on disk), and only for folders on that same file system (a folder inside may be a mount of its
 * own). Java 17 cannot call {@code syncfs}: JNA calls it in the C library. Anywhere else, or once a sync
 * failed, {@link #covers} says no and every file is forced on its own, as before.
 */
public final class FileSystemSync {

    /** Local disk file systems whose {@code syncfs} writes back every dirty file and flushes the disk's cache. */
    static final Set<String> FILE_SYSTEMS = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs");
    /** open(2) flags: O_RDONLY | O_CLOEXEC (the same number on amd64 and arm64). */
    private static final int OPEN_FLAGS = 0x80000;

    /**
     * The system call, replaceable in tests. The file system is opened once, before the first file is left
     * unforced, and kept open for the process: {@code syncfs} reports a failed writeback only to a
     * descriptor opened before it happened.
     */
    interface Syncer {
        /** Opens the file system of {@code root}; the {@link LinkageError} of a missing JNA is caught by the caller. */
        void open(Path root) throws IOException;

        void sync() throws IOException;

        void close();
    }

    private final Path root;
    private final Object rootDevice;
    private final Syncer syncer;
    private volatile boolean usable;
    private volatile boolean opened;
    /** The first failure, thrown again by every later sync: no record is committed after it on a sync's word. */
    private volatile String failure;
    /** Whether a folder is on the root's file system, by folder: asked for every chat written, a stat each otherwise. */
    private final Map<Path, Boolean> onRootFileSystem = new ConcurrentHashMap<>();

    FileSystemSync(Path root, Object rootDevice, Syncer syncer, boolean usable) {
        this.root = root;
        this.rootDevice = rootDevice;
        this.syncer = syncer;
        this.usable = usable && rootDevice != null;
    }

    /** The sync of the file system the backup folder {@code root} is on; one that covers nothing where that is not safe. */
    static FileSystemSync of(Path root) {
        Object device = null;
        boolean usable = false;
        try {
            if (isLinuxFrom517(System.getProperty("os.name", ""), System.getProperty("os.version", ""))
                    && Set.of("amd64", "aarch64").contains(System.getProperty("os.arch", ""))
                    && FILE_SYSTEMS.contains(Files.getFileStore(root).type().toLowerCase(Locale.ROOT))) {
                device = Files.getAttribute(root, "unix:dev", LinkOption.NOFOLLOW_LINKS);
                usable = true;
            }
        } catch (IOException | RuntimeException e) {
            usable = false; // no file store, no unix:dev: each file forced on its own
        }
        Syncer syncer = null;
        try {
            syncer = new SyncfsCall();
        } catch (LinkageError noJna) {
            usable = false;
        }
        return new FileSystemSync(root, device, syncer, usable);
    }

    static boolean isLinuxFrom517(String osName, String osVersion) {
        if (!osName.equals("Linux")) {
            return false;
        }
        String[] parts = osVersion.split("[.\\-]");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 5 || major == 5 && minor >= 17;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Whether a new file in this folder (which need not exist yet) may be left unforced until {@link #sync}:
     * the folder, or the nearest folder above it that exists, is on the backup's file system.
     */
    public boolean covers(Path folder) {
        if (!usable || !opened && !open()) {
            return false;
        }
        return onRootFileSystem.computeIfAbsent(folder, this::onRootFileSystem);
    }

    private synchronized boolean open() {
        if (!opened && usable) {
            try {
                syncer.open(root);
                opened = true;
            } catch (IOException | RuntimeException | LinkageError e) {
                usable = false; // no JNA, no C library, an unreadable folder: each file forced on its own
            }
        }
        return opened && usable;
    }

    private boolean onRootFileSystem(Path folder) {
        Path existing = folder;
        while (existing != null && existing.startsWith(root) && !Files.isDirectory(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null || !existing.startsWith(root)) {
            return false;
        }
        try {
            return rootDevice.equals(Files.getAttribute(existing, "unix:dev", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Every file written on the backup's file system since it was opened is on disk when this returns. A
     * failure is thrown, by this call and every later one, and from then on nothing is covered: a file whose
     * writeback failed must be written again, never synced again (Linux reports a failed writeback once,
     * then calls the pages clean).
     */
    public synchronized void sync() throws IOException {
        if (failure == null && !opened) {
            failure = "the file system was never opened";
        }
        if (failure == null) {
            try {
                syncer.sync();
                return;
            } catch (IOException | RuntimeException | LinkageError e) {
                failure = String.valueOf(e.getMessage());
                usable = false;
                onRootFileSystem.clear();
            }
        }
        throw new FileSystemException(root.toString(), null, "cannot put the new chat files on disk: " + failure);
    }

    /**
     * Closes the file system's descriptor, once every file left unforced was synced (the state's close, at
     * the end of a run, does that first); the next file left unforced opens it again.
     */
    public synchronized void close() {
        if (opened) {
            opened = false;
            syncer.close();
        }
    }

    /** syncfs(2) through JNA, which is loaded only here, the first time a file is left unforced. */
    private static final class SyncfsCall implements Syncer {
        private int fd = -1;

        @Override
        public void open(Path root) throws IOException {
            // JNA unpacks its native part at its first use: into our own cache folder, not ~/.cache/JNA
            Path cache = System.getProperty("jna.tmpdir") == null ? SqliteNativeLibrary.cacheFolder(System.getenv()) : null;
            if (cache != null) {
                System.setProperty("jna.tmpdir", cache.resolve("jna").toString());
            }
            try {
                fd = CLibrary.open(root.toString(), OPEN_FLAGS);
            } catch (LastErrorException e) {
                throw new FileSystemException(root.toString(), null, e.getMessage());
            }
        }

        @Override
        public void sync() throws IOException {
            try {
                CLibrary.syncfs(fd);
            } catch (LastErrorException e) {
                throw new IOException("syncfs: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                CLibrary.close(fd);
            } catch (LastErrorException e) {
                // a descriptor only read from: nothing is lost
            }
            fd = -1;
        }
    }

    /** The C library's calls, bound once by JNA's direct mapping. */
    private static final class CLibrary {
        static {
            Native.register(NativeLibrary.getInstance("c"));
        }

        static native int open(String path, int flags) throws LastErrorException;

        static native int syncfs(int fd) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

    }
}
