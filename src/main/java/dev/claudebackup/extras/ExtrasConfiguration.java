package dev.claudebackup.extras;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

import dev.claudebackup.report.Console;
import dev.claudebackup.readable.ReadableFolder;
import dev.claudebackup.store.BackupFolder;

/**
 * The beans the routes in routes/extras call, named as the routes call them (camel.main.configuration-classes
 * lists this class). Making them touches nothing: an extra that is off never uses its beans.
 */
public class ExtrasConfiguration implements CamelConfiguration {

    @BindToRegistry
    public ListenerFailures listenerFailures(@BeanInject("console") Console console) {
        return new ListenerFailures(console);
    }

    @BindToRegistry
    public S3Keys s3Keys(@PropertyInject(value = "extras.s3.prefix", defaultValue = "") String prefix) {
        return new S3Keys(prefix);
    }

    /** A record per destination: pointed at another bucket, prefix or store, the backup goes up there in full. */
    @BindToRegistry
    public UploadedFiles s3Uploads(@BeanInject("backupFolder") BackupFolder backup,
                                   @PropertyInject(value = "extras.s3.endpoint", defaultValue = "") String endpoint,
                                   @PropertyInject(value = "extras.s3.bucket", defaultValue = "") String bucket,
                                   @PropertyInject(value = "extras.s3.prefix", defaultValue = "") String prefix) {
        return new UploadedFiles(backup, endpoint + " s3://" + bucket + "/" + new S3Keys(prefix).prefix());
    }

    @BindToRegistry
    public RunSummaryMail runSummaryMail() {
        return new RunSummaryMail();
    }

    @BindToRegistry
    public SmtpLogin smtpLogin(@PropertyInject(value = "extras.email.user", defaultValue = "") String user,
                               @PropertyInject(value = "extras.email.password", defaultValue = "") String password) {
        return new SmtpLogin(user, password);
    }

    @BindToRegistry
    public GitHistory gitHistory(@BeanInject("backupFolder") BackupFolder backup,
                                 @PropertyInject(value = "extras.git.author-name", defaultValue = "claude-backup") String name,
                                 @PropertyInject(value = "extras.git.author-email", defaultValue = "claude-backup@localhost") String email,
                                 @PropertyInject(value = "readable.dir", defaultValue = "readable") String readableDir) {
        return new GitHistory(backup.root(), name, email, ReadableFolder.rootOf(backup.root(), readableDir));
    }
}
