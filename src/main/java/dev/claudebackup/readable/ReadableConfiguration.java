package dev.claudebackup.readable;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

import dev.claudebackup.report.Console;
import dev.claudebackup.store.BackupFolder;

/** The bean routes/readable.camel.yaml calls (camel.main.configuration-classes lists this class). */
public class ReadableConfiguration implements CamelConfiguration {

    @BindToRegistry
    public ReadableCopy readableCopy(@BeanInject("backupFolder") BackupFolder backup,
                                     @BeanInject("console") Console console,
                                     @PropertyInject(value = "readable.dir", defaultValue = "readable") String dir) {
        return new ReadableCopy(backup.root(), dir, console);
    }
}
