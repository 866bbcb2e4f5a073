package dev.claudebackup.events;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.StreamCache;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.ExchangeHelper;

/** A route listening on an event: while it runs, it gets a copy of each event published. */
final class EventListener extends DefaultConsumer {

    EventListener(EventEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public EventEndpoint getEndpoint() {
        return (EventEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        getEndpoint().listeners().add(this);
    }

    @Override
    protected void doStop() throws Exception {
        getEndpoint().listeners().remove(this);
        super.doStop();
    }

    /**
     * The listener's route handles a copy of the event in the caller's thread. What the route lets through
     * stays with it, as with a consumer of a queue: Camel's exception handler logs it, and the publisher
     * (the chat, the run) goes on unharmed; a route that wants its failures to count handles them itself
     * (route configuration listener-errors).
     */
    void hear(Exchange event) {
        Exchange copy = ExchangeHelper.createCorrelatedCopy(event, false);
        copy.getExchangeExtension().setFromEndpoint(getEndpoint());
        copy.getExchangeExtension().setFromRouteId(getRouteId());
        try {
            // each listener reads the body from its beginning (the listeners before it may have read it)
            if (copy.getMessage().getBody() instanceof StreamCache body) {
                body.reset();
            }
            getProcessor().process(copy);
        } catch (Exception e) {
            copy.setException(e);
        }
        if (copy.getException() != null) {
            getExceptionHandler().handleException("Listener " + getRouteId() + " of event " + getEndpoint().event()
                    + " failed", copy, copy.getException());
        }
    }
}
