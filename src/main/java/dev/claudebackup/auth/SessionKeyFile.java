package dev.claudebackup.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads the session key from a file the person named, such as a Kubernetes secret mounted as a
 * file. Because they named it, any problem is an error rather than a reason to look elsewhere.
 */
final class SessionKeyFile {

    /** A session key is about 100 characters; the limit stops a wrong path (a log, /dev/zero) early. */
    private static final int MAX_BYTES = 64 * 1024;

    private SessionKeyFile() {
    }

    /**
     * @param namedBy how the person named the file, for the messages: "--session-key-file" or "CLAUDE_SESSION_KEY_FILE"
     * @return the trimmed content
     */
    static String read(Path file, String namedBy, Consumer<String> warnings) throws SessionKeyNotFoundException {
        if (Files.isDirectory(file)) {
            throw problem(file, namedBy, "it is a folder, not a file");
        }
        byte[] content;
        try (InputStream in = Files.newInputStream(file)) {
            content = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw problem(file, namedBy, "it does not exist");
        } catch (AccessDeniedException e) {
            throw problem(file, namedBy, "permission denied");
        } catch (FileSystemException e) {
            throw problem(file, namedBy, e.getReason() != null ? e.getReason() : "it cannot be read");
        } catch (IOException e) {
            throw problem(file, namedBy, "it cannot be read");
        }
        if (content.length > MAX_BYTES) {
            throw problem(file, namedBy, "it is far too large to hold only a session key");
        }
        String value = new String(content, StandardCharsets.UTF_8).strip();
        if (value.isEmpty()) {
            throw problem(file, namedBy, "it is empty");
        }
        warnIfOthersCanRead(file, warnings);
        return value;
    }

    private static void warnIfOthersCanRead(Path file, Consumer<String> warnings) {
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) == null) {
            return; // not a POSIX file system (Windows): access is governed by ACLs we do not judge
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            // Group read counts only on a file of one's own: a file another user owns (a Kubernetes secret
            // is root's, 0440 to the pod's fsGroup) was shared with this group on purpose, and cannot be
            // chmod-ed by this user anyway.
            boolean ownFile = Files.getOwner(file).getName().equals(System.getProperty("user.name"));
            if (permissions.contains(PosixFilePermission.OTHERS_READ)
                    || ownFile && permissions.contains(PosixFilePermission.GROUP_READ)) {
                warnings.accept("The session key file " + file + " can be read by other users (mode "
                        + PosixFilePermissions.toString(permissions) + "). Make it private: chmod 600 " + file
                        + " (for a Kubernetes secret: defaultMode: 0400).");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // the key was read; not knowing the mode is no reason to stop
        }
    }

    private static SessionKeyNotFoundException problem(Path file, String namedBy, String reason) {
        return new SessionKeyNotFoundException("Cannot use the session key file " + file + " (from " + namedBy + "): "
                + reason + ".\nCheck the path, or " + (namedBy.startsWith("--") ? "leave out " : "unset ") + namedBy
                + " to let claude-backup look for the key in your browsers.");
    }
}
