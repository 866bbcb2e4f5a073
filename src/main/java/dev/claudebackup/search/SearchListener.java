package dev.claudebackup.search;

import java.io.IOException;
import java.sql.SQLException;

import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * What routes/search.camel.yaml calls on the backup's events. A chat or project is indexed the moment it
 * is saved, on the listener's thread (the JSON is parsed there, in parallel; the index's writes are
 * serialized). When the run began without a complete index (none yet, an older format), the events are
 * passed over and the whole index is built from the files once every file of the run is written.
 */
public final class SearchListener {

    private final BackupIndexer indexer;
    private volatile Boolean complete;

    public SearchListener(BackupIndexer indexer) {
        this.indexer = indexer;
    }

    public void chatSaved(@Header(Exchange.FILE_NAME) String file) throws IOException, SQLException {
        if (ready()) {
            indexer.chat(file);
        }
    }

    public void projectSaved(@Header(Exchange.FILE_NAME) String file) throws IOException, SQLException {
        if (ready()) {
            indexer.project(file);
        }
    }

    /**
     * Every file of the run is written: a missing index is built now, else what changed without an event
     * (an organization's memory, a chat file gone with --ignore-cache) is brought in, when anything did.
     */
    public void backupWritten() throws IOException, SQLException {
        try {
            if (ready()) {
                indexer.refreshIfChanged();
            } else {
                indexer.rebuild();
            }
        } finally {
            // closed between runs (a --schedule waits hours); the next run's first event opens it again
            synchronized (this) {
                indexer.index().close();
                complete = null;
            }
        }
    }

    private boolean ready() throws IOException, SQLException {
        Boolean known = complete;
        if (known == null) {
            synchronized (this) {
                if (complete == null) {
                    complete = indexer.index().open();
                }
                known = complete;
            }
        }
        return known;
    }
}
