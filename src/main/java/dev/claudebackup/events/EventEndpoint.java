package dev.claudebackup.events;

import java.util.List;

import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** One event by its name: a route that consumes it listens, a producer publishes it (see {@link EventComponent}). */
public final class EventEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {

    private final String event;

    EventEndpoint(String uri, EventComponent component, String event) {
        super(uri, component);
        this.event = event;
    }

    public String event() {
        return event;
    }

    List<EventListener> listeners() {
        return ((EventComponent) getComponent()).listenersOf(event);
    }

    @Override
    public Producer createProducer() {
        return new EventPublisher(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        EventListener listener = new EventListener(this, processor);
        configureConsumer(listener);
        return listener;
    }

    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }

    @Override
    public boolean isRemote() {
        return false;
    }
}
