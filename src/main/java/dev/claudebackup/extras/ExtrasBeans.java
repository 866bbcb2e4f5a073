package dev.claudebackup.extras;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.claudebackup.report.Console;
import dev.claudebackup.store.BackupFolder;

/**
 * The beans the routes in routes/extras call, by the names they call them, made from the properties
 * in force. Making them touches nothing: an extra that is off never uses its beans.
 */
public final class ExtrasBeans {

    private ExtrasBeans() {
    }

    public static Map<String, Object> create(Map<String, String> properties, BackupFolder backup, Console console) {
        Map<String, Object> beans = new LinkedHashMap<>();
        beans.put("listenerFailures", new ListenerFailures(console));

        S3Keys keys = new S3Keys(properties.getOrDefault("extras.s3.prefix", ""));
        beans.put("s3Keys", keys);
        // A record per destination: pointed at another bucket, prefix or store, the backup goes up there in full.
        String destination = properties.getOrDefault("extras.s3.endpoint", "") + " s3://"
                + properties.getOrDefault("extras.s3.bucket", "") + "/" + keys.prefix();
        beans.put("s3Uploads", new UploadedFiles(backup, destination));

        beans.put("runSummaryMail", new RunSummaryMail());
        beans.put("smtpLogin", new SmtpLogin(properties.get("extras.email.user"), properties.get("extras.email.password")));

        beans.put("gitHistory", new GitHistory(backup.root(), properties.getOrDefault("extras.git.author-name", "claude-backup"),
                properties.getOrDefault("extras.git.author-email", "claude-backup@localhost")));
        return beans;
    }
}
