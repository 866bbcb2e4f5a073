package dev.claudebackup.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.StreamCache;
import org.apache.camel.builder.LambdaRouteBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.converter.stream.InputStreamCache;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The event component on a real Camel context: found by its scheme (as a user's own context finds it),
 * each listener handles a copy of every event in the publisher's thread, and what one listener lets through
 * stays with it.
 */
class EventComponentTest {

    @Test
    void everyListenerHandlesTheEventInThePublishersThreadBeforeThePublisherGoesOn() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        try (CamelContext camel = started(routes -> {
            routes.from("event:chat-saved").routeId("first")
                    .process(e -> heard.add("first " + e.getMessage().getBody(String.class) + " " + Thread.currentThread().getName()))
                    .setHeader("changedByListener", routes.constant("yes"));
            routes.from("event:chat-saved").routeId("second")
                    .process(e -> heard.add("second " + e.getMessage().getBody(String.class) + " " + Thread.currentThread().getName()));
            routes.from("event:run-finished").routeId("other")
                    .process(e -> heard.add("other event"));
        })) {
            Exchange published = camel.createProducerTemplate().request("event:chat-saved", e -> e.getMessage().setBody("chat 1"));
            heard.add("publisher goes on");

            String thread = Thread.currentThread().getName();
            assertEquals(List.of("first chat 1 " + thread, "second chat 1 " + thread, "publisher goes on"), heard);
            assertNull(published.getMessage().getHeader("changedByListener"), "each listener works on a copy");
        }
    }

    @Test
    void whatAListenerLetsThroughStaysWithItTheOthersAndThePublisherGoOn() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        try (CamelContext camel = started(routes -> {
            routes.from("event:backup-written").routeId("failing").throwException(new IllegalStateException("listener broke"));
            routes.from("event:backup-written").routeId("next").process(e -> heard.add("next"));
        })) {
            Exchange published = camel.createProducerTemplate().send("event:backup-written", e -> e.getMessage().setBody(""));

            assertNull(published.getException());
            assertEquals(List.of("next"), heard);
        }
    }

    @Test
    void eachListenerReadsAStreamedBodyFromItsBeginning() throws Exception {
        List<String> read = new CopyOnWriteArrayList<>();
        try (CamelContext camel = started(routes -> {
            routes.from("event:chat-saved").process(e -> read.add(e.getMessage().getBody(String.class)));
            routes.from("event:chat-saved").process(e -> read.add(e.getMessage().getBody(String.class)));
        })) {
            byte[] chat = "{\"uuid\":\"x\"}".getBytes(StandardCharsets.UTF_8);

            camel.createProducerTemplate().sendBody("event:chat-saved", new InputStreamCache(chat));

            assertEquals(List.of("{\"uuid\":\"x\"}", "{\"uuid\":\"x\"}"), read);
        }
    }

    @Test
    void aStoppedRouteHearsNothingAndAnEventWithoutListenersIsNoError() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        try (CamelContext camel = started(routes -> {
            routes.from("event:chat-saved").routeId("listener").process(e -> heard.add("heard"));
        })) {
            camel.getRouteController().stopRoute("listener");

            camel.createProducerTemplate().sendBody("event:chat-saved", "chat");
            camel.createProducerTemplate().sendBody("event:project-saved", "project");

            assertTrue(heard.isEmpty());
            assertThrows(Exception.class, () -> camel.getEndpoint("event:"));
        }
    }

    @Test
    void aBodyThatCannotBeReadAgainFailsItsListenersNotThePublisher() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        try (CamelContext camel = started(routes -> {
            routes.from("event:chat-saved").routeId("listener").process(e -> heard.add("heard"));
        })) {
            StreamCache gone = new StreamCache() {
                @Override
                public void reset() {
                    throw new IllegalStateException("its spool file was deleted");
                }

                @Override
                public void writeTo(OutputStream out) {
                }

                @Override
                public StreamCache copy(Exchange exchange) {
                    return this;
                }

                @Override
                public boolean inMemory() {
                    return false;
                }

                @Override
                public long length() {
                    return 0;
                }

                @Override
                public long position() {
                    return 0;
                }
            };

            Exchange published = camel.createProducerTemplate().send("event:chat-saved", e -> e.getMessage().setBody(gone));

            assertNull(published.getException());
            assertTrue(heard.isEmpty());
        }
    }

    private static CamelContext started(LambdaRouteBuilder routes) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        RouteBuilder.addRoutes(camel, routes);
        camel.start();
        return camel;
    }
}
