package dev.claudebackup.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One run at a time per backup folder. The lock is the operating system's lock on a file in the state
 * folder: it is released when the process ends, however it ends (even killed with SIGKILL), so a run
 * that died never leaves a lock that blocks the next one. The file holds the holder's process id, for
 * the message only: it is never what decides.
 */
public final class RunLock implements AutoCloseable {

    public static final String FILE_NAME = "lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or throws {@link AlreadyRunningException} at once if another run holds it. */
    public static RunLock acquire(Path stateFolder) throws IOException {
        Path file = PrivateFiles.createFile(stateFolder.resolve(FILE_NAME));
        // never through a link planted in its place: it would truncate and chmod a file elsewhere
        FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(file);
            channel.close();
            throw new AlreadyRunningException("Another claude-backup run is using " + stateFolder.getParent()
                    + (holder.isEmpty() ? "" : " (process " + holder + ")") + "; wait for it to finish, or use another backup folder.");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
        return new RunLock(channel, lock);
    }

    /** The process id the holder wrote, if it can be read (Windows' locks forbid reading it). */
    private static String holder(Path file) {
        try {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
            return text.matches("\\d{1,10}") ? text : "";
        } catch (IOException unreadable) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    /** The backup folder is in use by another run. */
    public static final class AlreadyRunningException extends IOException {
        public AlreadyRunningException(String message) {
            super(message);
        }
    }
}
