package dev.claudebackup.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.support.MessageHelper;

import dev.claudebackup.api.ApiTimestamps;
import dev.claudebackup.report.Console;
import dev.claudebackup.sync.BackupRun;
import dev.claudebackup.sync.ChatRef;
import dev.claudebackup.sync.OrganizationBackup;

/**
 * A chat's file before and after Camel's file endpoint writes it: where it goes, and what follows once
 * it is in place (its modification time, the old file of a renamed chat, the record in the state, the
 * line on stdout).
 */
public final class ChatFiles {

    /** Exchange property: the chat's file before this run, if it had one. */
    public static final String PREVIOUS_FILE_PROPERTY = "previousChatFile";
    /** Exchange header for listeners: what happened to the chat (NEW, UPDATED, RENAMED). */
    public static final String OUTCOME_HEADER = "ClaudeBackupOutcome";

    private final BackupFolder backup;
    private final SavedChats savedChats;
    private final Console console;

    public ChatFiles(BackupFolder backup, SavedChats savedChats, Console console) {
        this.backup = backup;
        this.savedChats = savedChats;
        this.console = console;
    }

    /** Sets the file name for the file endpoint, relative to the backup folder. */
    public void target(Exchange exchange) {
        ChatRef chat = exchange.getProperty(ChatRef.PROPERTY, ChatRef.class);
        OrganizationBackup organization = exchange.getProperty(OrganizationBackup.PROPERTY, OrganizationBackup.class);
        String file = organization.chatFile(chat);
        backup.resolve(file); // refuses anything outside the backup folder
        exchange.getMessage().setHeader(Exchange.FILE_NAME, file);
        Optional<String> previous = savedChats.fileOf(chat.uuid()).filter(known -> Files.exists(backup.resolve(known)))
                .or(() -> organization.existingFile(chat.uuid()));
        previous.ifPresent(known -> exchange.setProperty(PREVIOUS_FILE_PROPERTY, known));
    }

    /**
     * Whether the chat is to be written: always, but for a chat listed without {@code updated_at} (fetched
     * every run) whose answer is byte for byte the file it already has, compared by SHA-256 as streams.
     */
    public boolean changed(Exchange exchange) throws IOException {
        ChatRef chat = exchange.getProperty(ChatRef.PROPERTY, ChatRef.class);
        String file = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        if (chat.isDated() || !file.equals(exchange.getProperty(PREVIOUS_FILE_PROPERTY, String.class))) {
            return true;
        }
        Path saved = backup.resolve(file);
        if (!Files.isRegularFile(saved, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        byte[] had;
        try (InputStream in = Files.newInputStream(saved, LinkOption.NOFOLLOW_LINKS)) {
            had = sha256(in);
        }
        MessageHelper.resetStreamCache(exchange.getMessage());
        try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
            return !MessageDigest.isEqual(had, sha256(in));
        } finally {
            MessageHelper.resetStreamCache(exchange.getMessage());
        }
    }

    /**
     * {@link #changed} as the save-chat route's filter (bean chatChanged): a predicate is called as it is,
     * where a {@code method:} expression first copies the exchange, for every chat.
     */
    public Predicate changedFilter() {
        return exchange -> {
            try {
                return changed(exchange);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static byte[] sha256(InputStream in) throws IOException {
        return FileDigests.sha256(in);
    }

    /**
     * The file is in place. In this order, so that a run killed between any two steps leaves nothing
     * the next run cannot mend: a renamed chat's new name is made durable and its old file goes (never two
     * files for one uuid); the chat is recorded as saved, with the sha-256 of the file just written (for
     * verify), in a group of records committed only once their files and folders are on disk (from then on
     * it is not fetched again); once the group is committed, it is announced on stdout.
     */
    public void saved(Exchange exchange) throws IOException {
        ChatRef chat = exchange.getProperty(ChatRef.PROPERTY, ChatRef.class);
        String file = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        Path path = backup.resolve(file);
        updatedAt(chat).ifPresent(time -> setModified(path, time));

        Optional<String> previous = Optional.ofNullable(exchange.getProperty(PREVIOUS_FILE_PROPERTY, String.class));
        BackupRun.Outcome outcome = previous.isEmpty() ? BackupRun.Outcome.NEW
                : previous.get().equals(file) ? BackupRun.Outcome.UPDATED : BackupRun.Outcome.RENAMED;
        if (outcome == BackupRun.Outcome.RENAMED) {
            console.info("Renaming chat " + fileName(previous.get()) + " to " + fileName(file));
            PrivateFiles.forceFolder(path.getParent()); // the new name on disk before the old one goes
            Path old = backup.resolve(previous.get());
            // Only a file other than the one just written goes: on a case-insensitive file system the old
            // name may still be the new file, and deleting it would delete the chat.
            if (Files.exists(old, LinkOption.NOFOLLOW_LINKS) && !FileNames.sameFile(old, path)) {
                backup.delete(previous.get());
            }
        }
        String written = exchange.getProperty(BackupFolder.WRITTEN_SHA256_PROPERTY, String.class);
        savedChats.record(chat, file, written != null ? written : FileDigests.sha256(path),
                Boolean.TRUE.equals(exchange.getProperty(BackupFolder.UNFORCED_PROPERTY, Boolean.class)),
                () -> console.chatSaved(chat.uuid(), chat.name()));
        exchange.setProperty(ChatRef.SAVED_FILE_PROPERTY, file);
        exchange.getMessage().setHeader(OUTCOME_HEADER, outcome.name());
        exchange.getProperty(BackupRun.PROPERTY, BackupRun.class).record(chat.organization().label(), outcome);
    }

    private static String fileName(String relative) {
        return relative.substring(relative.lastIndexOf('/') + 1);
    }

    private static Optional<Instant> updatedAt(ChatRef chat) {
        return ApiTimestamps.instant(chat.updatedAt());
    }

    private static void setModified(Path path, Instant time) {
        try {
            Files.setLastModifiedTime(path, FileTime.from(time));
        } catch (IOException e) {
            // The content is saved; a file system without settable times loses only the date.
        }
    }

}
