package dev.claudebackup.events;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code event:NAME}: the backup's events (chat-saved, backup-written...), published to every route that
 * listens on the name, one after another in the publishing thread, which goes on once all of them are done.
 *
 * <p>Why not seda (which the events were until 2026-12): a seda queue with {@code multipleConsumers} hands each
 * event to a thread of its own, then to a multicast, for the publisher to wait on anyway. For a backup
 * that waits for its listeners by design, that was two thread switches and a multicast per chat, and a
 * pool of polling threads per listener: 15 % of a full backup's CPU samples, and most of its threads.
 */
public final class EventComponent extends DefaultComponent {

    /** The component's name in URIs, as META-INF/services/org/apache/camel/component/event says. */
    public static final String SCHEME = "event";

    /** The listeners of each event by its name, whichever endpoint object Camel made for the URI. */
    private final Map<String, List<EventListener>> listeners = new ConcurrentHashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining.isBlank()) {
            throw new IllegalArgumentException("An event needs a name: " + SCHEME + ":NAME, such as " + SCHEME + ":chat-saved");
        }
        EventEndpoint endpoint = new EventEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    List<EventListener> listenersOf(String event) {
        return listeners.computeIfAbsent(event, name -> new CopyOnWriteArrayList<>());
    }
}
