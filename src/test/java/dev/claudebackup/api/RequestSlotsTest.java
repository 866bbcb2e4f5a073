package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The request slots: one per exchange however often it asks, and given back at the exchange's end at the latest. */
class RequestSlotsTest {

    @Test
    void anExchangeHoldsOneSlotAndGivesItBackOnceOrAtItsEnd() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            RequestSlots slots = new RequestSlots(2);
            Exchange first = new DefaultExchange(context);
            Exchange second = new DefaultExchange(context);

            slots.acquire(first);
            slots.acquire(first); // a retry of a request whose answer never came keeps its slot
            assertEquals(1, slots.available());
            slots.acquire(second);
            assertEquals(0, slots.available());

            slots.release(first);
            slots.release(first);
            assertEquals(1, slots.available(), "given back once");

            // the exchange ends (a handled failure, a stop) still holding it
            second.getExchangeExtension().handoverCompletions().forEach(done -> done.onComplete(second));
            assertEquals(2, slots.available(), "given back at the end");
        }
    }
}
