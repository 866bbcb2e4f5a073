package dev.claudebackup.files;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Predicate;
import org.apache.camel.PropertyInject;

import dev.claudebackup.api.ApiResponses;
import dev.claudebackup.report.Console;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.SavedChats;

/**
 * The beans of routes/files.camel.yaml, named as the routes call them (camel.main.configuration-classes
 * lists this class).
 */
public class FilesConfiguration implements CamelConfiguration {

    @BindToRegistry
    public SavedFiles savedFiles(@BeanInject("savedChats") SavedChats savedChats, @BeanInject("backupFolder") BackupFolder backup) {
        return new SavedFiles(savedChats, backup);
    }

    @BindToRegistry
    public FileLists fileLists(@BeanInject("savedFiles") SavedFiles savedFiles, @BeanInject("savedChats") SavedChats savedChats,
                               @BeanInject("backupFolder") BackupFolder backup, @BeanInject("console") Console console,
                               @PropertyInject("claude.base-url") String baseUrl,
                               @PropertyInject("claude.api.file-path") String filePath,
                               @PropertyInject("claude.api.sandbox-file-path") String sandboxFilePath) {
        return new FileLists(new NamedFiles(URI.create(baseUrl), filePath, sandboxFilePath), savedFiles, savedChats, backup, console);
    }

    /** The save-files route's test: the chat or project (the body, its files) names any. */
    @BindToRegistry
    public Predicate namesFiles() {
        return exchange -> exchange.getMessage().getBody() instanceof List<?> files && !files.isEmpty();
    }

    @BindToRegistry
    public FileDownloads fileDownloads(@BeanInject("savedFiles") SavedFiles savedFiles, @BeanInject("backupFolder") BackupFolder backup,
                                       @BeanInject("apiResponses") ApiResponses apiResponses, @BeanInject("console") Console console,
                                       @PropertyInject("claude.base-url") String baseUrl,
                                       @PropertyInject(value = "backup.files.max-size-mb", defaultValue = "") String maxSizeMb,
                                       @PropertyInject(value = "backup.progress-interval", defaultValue = "60") String progressInterval) {
        return new FileDownloads(baseUrl, backup, savedFiles, apiResponses, console,
                new FileProgress(console, Duration.ofMillis(Math.round(Double.parseDouble(progressInterval.trim()) * 1000))), maxBytes(maxSizeMb));
    }

    @BindToRegistry
    public FileFailures fileFailures(@BeanInject("console") Console console) {
        return new FileFailures(console);
    }

    /** Megabytes (10^6 bytes, fractions allowed) to bytes; empty: no limit. */
    static Long maxBytes(String megabytes) {
        if (megabytes == null || megabytes.isBlank()) {
            return null;
        }
        double value = Double.parseDouble(megabytes.trim());
        if (value < 0 || Double.isNaN(value)) {
            throw new IllegalArgumentException("backup.files.max-size-mb must be a number of megabytes, not " + megabytes);
        }
        return Math.round(value * 1_000_000);
    }
}
