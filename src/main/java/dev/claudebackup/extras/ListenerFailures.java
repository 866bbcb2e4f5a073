package dev.claudebackup.extras;

import org.apache.camel.Exchange;

import dev.claudebackup.report.Console;
import dev.claudebackup.sync.BackupRun;
import dev.claudebackup.sync.ChatRef;

/**
 * What a listener of the backup's events could not do, counted as a failure of the run: stderr says
 * it, the report lists it, and the run exits 1. The chat itself stays saved and is not fetched again;
 * only the listener's work is missing, which a listener like the S3 copy does on a later run.
 *
 * <p>Listeners call {@link #failed} through the route configuration {@code listener-errors}
 * (routes/events.camel.yaml), having set the exchange property {@value #TASK_PROPERTY} to what they
 * were doing ("upload account.json to S3").
 */
public final class ListenerFailures {

    /** Exchange property: what the listener was doing, completing "Could not ...". */
    public static final String TASK_PROPERTY = "listenerTask";

    private final Console console;

    public ListenerFailures(Console console) {
        this.console = console;
    }

    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        String task = exchange.getProperty(TASK_PROPERTY, "handle an event", String.class);
        String message = "Could not " + task + ": " + reason(failure);
        console.error(message);
        BackupRun run = exchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
        if (run == null) {
            return; // not sent by a run (a route of the user's own): there is no run to fail
        }
        ChatRef chat = exchange.getProperty(ChatRef.PROPERTY, ChatRef.class);
        if (chat != null) {
            run.failed(new BackupRun.Failure(chat.organization().label(), chat.uuid(), chat.name(), message));
        } else {
            // The route that failed names the failure (a listener's exchange came from whichever route took the event).
            String route = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, exchange.getFromRouteId(), String.class);
            run.failed(new BackupRun.Failure(null, null, route, message));
        }
    }

    /** The innermost cause says what went wrong ("ConnectException: Connection refused"); wrappers only say where. */
    private static String reason(Throwable failure) {
        if (failure == null) {
            return "(no reason given)";
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message.strip());
    }
}
