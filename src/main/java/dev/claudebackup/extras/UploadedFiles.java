package dev.claudebackup.extras;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.PrivateFiles;
import dev.claudebackup.sync.BackupRun;

/**
 * What the backup has uploaded to its copy elsewhere, and in which version: each file's path with the
 * size and modification time it had then, kept in the state folder. Once a run's files are written,
 * the route uploads every file whose version is not the one uploaded (account.json and the lists, which
 * change every run; a file whose upload failed; the whole backup the first time) and deletes the copy
 * of every file no longer in the backup. The local backup is the source of truth; asking the bucket
 * instead would cost a listing and a checksum of every file each run, where this costs a stat.
 *
 * <p>The record belongs to one destination (endpoint, bucket and prefix): pointed at another, the
 * backup is uploaded there in full. A copy removed from the bucket by hand is not noticed: delete
 * {@value #FILE_NAME} to upload everything again (it is read anew at each run).
 */
public final class UploadedFiles {

    public static final String FILE_NAME = "s3-uploaded.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A file's version as uploaded. */
    private record Version(long size, long modified) {
    }

    private final BackupFolder backup;
    private final String destination;
    private final Path recordFile;
    private Map<String, Version> uploaded;
    /** The run the record was read for: each run reads it anew (a schedule's process lives for many). */
    private Object readFor;

    public UploadedFiles(BackupFolder backup, String destination) {
        this.backup = backup;
        this.destination = destination;
        this.recordFile = backup.stateFolder().resolve(FILE_NAME);
    }

    /**
     * The routes call this as a run's first upload or catch-up begins: the record is read again at the
     * first use in each run, so that one deleted or changed between runs (to upload everything again) counts.
     */
    public synchronized void beginRun(@ExchangeProperty(BackupRun.PROPERTY) BackupRun run) {
        if (run != readFor) {
            readFor = run;
            uploaded = null;
        }
    }

    /** The file to upload, given its path relative to the backup folder (header CamelFileName). */
    public File file(@Header(Exchange.FILE_NAME) String path) {
        return backup.resolve(path).toFile();
    }

    /** The file at this path went up as it is now. */
    public void uploaded(@Header(Exchange.FILE_NAME) String path) throws IOException {
        record().put(path, versionOf(backup.resolve(path)));
    }

    /** The copy of the file at this path is gone. */
    public void deleted(@Header(Exchange.FILE_NAME) String path) {
        record().remove(path);
    }

    /** The backup's files (account.json and everything under organizations/) not uploaded as they are now. */
    public List<String> toUpload() throws IOException {
        Map<String, Version> record = record();
        List<String> changed = new ArrayList<>();
        for (Path file : backupFiles()) {
            String path = backup.relativize(file);
            if (!versionOf(file).equals(record.get(path))) {
                changed.add(path);
            }
        }
        return changed;
    }

    /** Files uploaded earlier that are no longer in the backup: a renamed chat's old name, a removed chat. */
    public List<String> toDelete() {
        return record().keySet().stream()
                .filter(path -> !Files.isRegularFile(backup.resolve(path)))
                .sorted()
                .toList();
    }

    /** The files uploaded under a folder (a renamed project's old one) that are no longer in the backup. */
    public List<String> goneUnder(@ExchangeProperty("previousProjectFolder") String folder) {
        String prefix = folder + "/";
        return toDelete().stream().filter(path -> path.startsWith(prefix)).toList();
    }

    /** Writes the record: to a temporary file first, then renamed into place, so it is always whole. */
    public synchronized void save() throws IOException {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("destination", destination);
        ObjectNode files = json.putObject("files");
        new TreeMap<>(record()).forEach((path, version) -> files.putArray(path).add(version.size()).add(version.modified()));
        Path temp = Files.createTempFile(backup.stateFolder(), BackupFolder.TEMP_PREFIX, ".json");
        try {
            PrivateFiles.restrict(temp);
            MAPPER.writeValue(temp.toFile(), json);
            Files.move(temp, recordFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The record, read once; one that is missing, unreadable or for another destination counts as empty. */
    private synchronized Map<String, Version> record() {
        if (uploaded == null) {
            uploaded = new ConcurrentHashMap<>();
            try {
                JsonNode json = Files.isRegularFile(recordFile) ? MAPPER.readTree(recordFile.toFile()) : null;
                if (json != null && destination.equals(json.path("destination").asText())) {
                    json.path("files").fields().forEachRemaining(file -> uploaded.put(file.getKey(),
                            new Version(file.getValue().path(0).asLong(-1), file.getValue().path(1).asLong(-1))));
                }
            } catch (IOException unreadable) {
                // Everything is uploaded again, which is only slower.
            }
        }
        return uploaded;
    }

    private List<Path> backupFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        Path account = backup.root().resolve("account.json");
        if (Files.isRegularFile(account)) {
            files.add(account);
        }
        if (Files.isDirectory(backup.organizations())) {
            try (Stream<Path> paths = Files.walk(backup.organizations())) {
                paths.filter(Files::isRegularFile)
                        .filter(path -> !path.getFileName().toString().startsWith(BackupFolder.TEMP_PREFIX))
                        .sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }

    private static Version versionOf(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new Version(attributes.size(), attributes.lastModifiedTime().toMillis());
    }
}
