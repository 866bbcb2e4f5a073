package dev.claudebackup.events;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/** Publishes an event: each listener, in the order their routes started, handles it before this returns. */
final class EventPublisher extends DefaultProducer {

    EventPublisher(EventEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public void process(Exchange exchange) {
        for (EventListener listener : ((EventEndpoint) getEndpoint()).listeners()) {
            listener.hear(exchange);
        }
    }
}
