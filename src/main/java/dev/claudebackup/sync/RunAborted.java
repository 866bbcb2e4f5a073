package dev.claudebackup.sync;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * The routes' {@code ref: runAborted}: claude.ai refused us, or the process is stopping. The same as
 * {@code simple: "${exchangeProperty.backupRun.aborted}"}, asked several times of every chat: but Simple
 * calls a method of a property through a copy of the whole exchange each time.
 */
public final class RunAborted implements Predicate {

    @Override
    public boolean matches(Exchange exchange) {
        BackupRun run = exchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
        return run != null && run.isAborted();
    }
}
