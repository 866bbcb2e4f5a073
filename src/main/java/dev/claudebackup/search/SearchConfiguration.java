package dev.claudebackup.search;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

import dev.claudebackup.store.BackupFolder;

/**
 * The beans routes/search.camel.yaml calls during a backup run (camel.main.configuration-classes lists
 * this class). The index is opened on the first event, so a run that saves nothing opens nothing but at
 * its end.
 */
public class SearchConfiguration implements CamelConfiguration {

    @BindToRegistry
    public SearchIndex searchIndex(@BeanInject("backupFolder") BackupFolder backup) {
        return new SearchIndex(backup);
    }

    @BindToRegistry
    public SearchListener searchListener(@BeanInject("backupFolder") BackupFolder backup,
                                         @BeanInject("searchIndex") SearchIndex index) {
        return new SearchListener(new BackupIndexer(backup, index));
    }
}
