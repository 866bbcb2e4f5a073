package dev.claudebackup.api;

import java.util.concurrent.Semaphore;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * At most {@code backup.connections} requests to claude.ai in flight at once. The fetch threads are a
 * few more than that (so that a connection is never idle while a chat that came is written), so the
 * slots are counted here. The routes take a slot before the pace (the throttle) and before the last
 * look at whether the run was stopped, and give it back as soon as the answer is read: the HTTP
 * client's own pool then never makes a request wait after that look, and the starts of chat fetches
 * stay one success delay apart.
 *
 * <p>A slot follows its exchange: taking it again while held does nothing (a retry of a request that
 * failed before its answer was read keeps its slot through the back-off, as a thread of its own kept
 * its connection before), and whatever way the exchange ends, the slot is given back then at the latest.
 */
public final class RequestSlots {

    private static final String HELD = "claudeBackupRequestSlot";
    private static final String RELEASED_AT_END = "claudeBackupRequestSlotReleasedAtEnd";

    private final Semaphore slots;

    public RequestSlots(int connections) {
        this.slots = new Semaphore(connections, true);
    }

    public void acquire(Exchange exchange) throws InterruptedException {
        if (exchange.getProperty(HELD, false, Boolean.class)) {
            return;
        }
        slots.acquire();
        exchange.setProperty(HELD, true);
        if (!exchange.getProperty(RELEASED_AT_END, false, Boolean.class)) {
            exchange.setProperty(RELEASED_AT_END, true);
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    release(done);
                }
            });
        }
    }

    public void release(Exchange exchange) {
        if (exchange.getProperty(HELD, false, Boolean.class)) {
            exchange.removeProperty(HELD);
            slots.release();
        }
    }

    /**
     * The exchange is a copy (of an event's exchange, or a split's part) that must take slots of its own:
     * it forgets what it inherited, so that it neither counts on its parent's slot (giving it back twice)
     * nor goes without its own give-back at its end.
     */
    public void forgetInherited(Exchange exchange) {
        exchange.removeProperty(HELD);
        exchange.removeProperty(RELEASED_AT_END);
    }

    /** Slots free now (for tests). */
    int available() {
        return slots.availablePermits();
    }
}
