package dev.claudebackup.sync;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;

import dev.claudebackup.report.Console;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.SavedChats;

/**
 * Chats saved earlier that claude.ai no longer lists. Only an organization whose whole list was read
 * this run can tell: those are counted as deleted upstream. They are kept, since this is a backup,
 * unless the user asked for {@code --ignore-cache} and the run read every list in full and failed
 * nowhere: a run that failed part way never deletes anything.
 */
public final class DeletedChats {

    private final SavedChats savedChats;
    private final BackupFolder backup;
    private final Console console;
    private final boolean removeDeleted;

    public DeletedChats(SavedChats savedChats, BackupFolder backup, Console console, boolean removeDeleted) {
        this.savedChats = savedChats;
        this.backup = backup;
        this.console = console;
        this.removeDeleted = removeDeleted;
    }

    public void handle(Exchange exchange) throws IOException {
        BackupRun run = exchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
        Map<String, Set<String>> fullLists = run.fullLists();
        boolean remove = removeDeleted && !run.isAborted() && run.failures().isEmpty()
                && fullLists.keySet().containsAll(run.organizationsBegun());
        int kept = 0;
        for (Map.Entry<String, Set<String>> organization : fullLists.entrySet()) {
            String label = run.organizationLabel(organization.getKey());
            for (Map.Entry<String, String> saved : savedChats.chatFiles(organization.getKey()).entrySet()) {
                if (organization.getValue().contains(saved.getKey())) {
                    continue;
                }
                run.record(label, BackupRun.Outcome.DELETED_UPSTREAM);
                // the organization's end counted every chat saved before and not saved now as unchanged
                if (run.count(label, BackupRun.Outcome.UNCHANGED) > 0) {
                    run.add(label, BackupRun.Outcome.UNCHANGED, -1);
                }
                if (remove) {
                    String file = saved.getValue();
                    console.info("Removing " + file + ": chat " + saved.getKey() + " no longer exists on claude.ai");
                    backup.delete(file);
                    savedChats.forget(saved.getKey());
                } else {
                    kept++;
                }
            }
        }
        if (removeDeleted && !remove) {
            console.error("Removing nothing: not every chat list was read in full without a failure"
                    + (kept > 0 ? " (" + kept + " chats no longer on claude.ai are kept)" : ""));
        }
    }
}
