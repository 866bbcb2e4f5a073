package dev.claudebackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.converter.stream.InputStreamCache;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.BeanProcessorFactory;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;

/**
 * The routes' bean: steps on a real Camel context with {@link DirectBeanCalls} installed as the
 * application installs it: a {@code void m(Exchange)} is called without Camel's reflective binding and
 * behaves as before; every other method is Camel's, with Camel's semantics.
 */
class DirectBeanCallsTest {

    /** A bean as the routes call them; public, as the beans of the application are. */
    public static final class Steps {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile boolean throughCamelsBinding;

        public void note(Exchange exchange) {
            throughCamelsBinding = Arrays.stream(new Throwable().getStackTrace())
                    .anyMatch(frame -> frame.getClassName().startsWith("org.apache.camel.component.bean."));
            calls.add("note " + exchange.getMessage().getBody(String.class) + " on " + Thread.currentThread().getName());
        }

        public void fail(Exchange exchange) throws IOException {
            throw new IOException("the disk is full");
        }

        public void breakDown(Exchange exchange) {
            throw new StackOverflowError("deep");
        }

        public String answer(Exchange exchange) {
            return "answered " + exchange.getMessage().getBody(String.class);
        }

        public void twice(Exchange exchange) {
            calls.add("twice(exchange)");
        }

        public void twice(String body) {
            calls.add("twice(" + body + ")");
        }
    }

    @Test
    void aVoidMethodOfTheExchangeIsCalledDirectlyOnTheCallersThreadWithTheBodyReadFromItsBeginning() throws Exception {
        Steps steps = new Steps();
        try (CamelContext camel = started(steps, new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:note").bean("steps", "note").bean("steps", "note");
            }
        })) {
            camel.createProducerTemplate().sendBody("direct:note",
                    new InputStreamCache("{\"uuid\":\"x\"}".getBytes(StandardCharsets.UTF_8)));

            String thread = Thread.currentThread().getName();
            assertEquals(List.of("note {\"uuid\":\"x\"} on " + thread, "note {\"uuid\":\"x\"} on " + thread), steps.calls,
                    "each call reads the streamed body from its beginning");
            assertFalse(steps.throughCamelsBinding, "called without Camel's bean binding");
        }
    }

    @Test
    void whatTheMethodThrowsIsTheExchangesExceptionForTheErrorHandler() throws Exception {
        Steps steps = new Steps();
        List<Exception> handled = new CopyOnWriteArrayList<>();
        try (CamelContext camel = started(steps, new RouteBuilder() {
            @Override
            public void configure() {
                onException(IOException.class).handled(true).process(e -> handled.add(e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)));
                from("direct:fail").bean("steps", "fail").bean("steps", "note");
            }
        })) {
            Exchange result = camel.createProducerTemplate().send("direct:fail", e -> e.getMessage().setBody("chat"));

            assertNull(result.getException());
            assertEquals(1, handled.size());
            assertTrue(handled.get(0) instanceof IOException, "the method's own exception, not a wrapper: " + handled.get(0));
            assertEquals("the disk is full", handled.get(0).getMessage());
            assertTrue(steps.calls.isEmpty(), "the route stopped at the failure");
        }
        try (CamelContext camel = started(steps, new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from("direct:fail").bean("steps", "fail");
            }
        })) {
            Exchange unhandled = camel.createProducerTemplate().send("direct:fail", e -> e.getMessage().setBody("chat"));
            assertTrue(unhandled.getException() instanceof IOException, String.valueOf(unhandled.getException()));
        }
    }

    @Test
    void anErrorStopsTheRouteAndReachesTheErrorHandlerAsWithCamelsOwnBinding() throws Exception {
        List<String> direct = afterAnError(true);
        List<String> camels = afterAnError(false);

        assertEquals(camels, direct);
        assertEquals(List.of("handled org.apache.camel.CamelExecutionException caused by java.lang.StackOverflowError"), direct,
                "the step after it never ran");
    }

    /** What a route whose step throws an Error did: its error handler's view, and any step that ran after it. */
    private static List<String> afterAnError(boolean directCalls) throws Exception {
        Steps steps = new Steps();
        List<String> seen = new CopyOnWriteArrayList<>();
        RouteBuilder routes = new RouteBuilder() {
            @Override
            public void configure() {
                onException(Exception.class).handled(true).process(e -> {
                    Exception caught = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    seen.add("handled " + caught.getClass().getName() + " caused by " + caught.getCause().getClass().getName());
                });
                from("direct:error").bean("steps", "breakDown").bean("steps", "note");
            }
        };
        DefaultCamelContext camel = new DefaultCamelContext();
        try (camel) {
            camel.getRegistry().bind("steps", steps);
            if (directCalls) {
                camel.getCamelContextExtension().addContextPlugin(BeanProcessorFactory.class,
                        new DirectBeanCalls(PluginHelper.getBeanProcessorFactory(camel)));
            }
            camel.addRoutes(routes);
            camel.start();
            Exchange result = camel.createProducerTemplate().send("direct:error", e -> e.getMessage().setBody("chat"));
            assertNull(result.getException());
        }
        seen.addAll(steps.calls);
        return seen;
    }

    @Test
    void aMethodThatReturnsTheBodyAndAnOverloadedNameAreCamels() throws Exception {
        Steps steps = new Steps();
        try (CamelContext camel = started(steps, new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:answer").bean("steps", "answer");
                from("direct:twice").bean("steps", "twice");
            }
        })) {
            assertEquals("answered question", camel.createProducerTemplate().requestBody("direct:answer", "question", String.class));

            camel.createProducerTemplate().sendBody("direct:twice", "body");
            assertEquals(1, steps.calls.size(), "Camel chose one of the two: " + steps.calls);
        }
    }

    @Test
    void onlyAPublicVoidMethodOfTheExchangeAloneIsTakenAndOnlyWhenItsNameIsItsOwn() throws Exception {
        Steps steps = new Steps();
        assertNotNull(DirectBeanCalls.exchangeMethod(steps, "note"));
        assertNotNull(DirectBeanCalls.exchangeMethod(steps, "fail"));
        assertNull(DirectBeanCalls.exchangeMethod(steps, "answer"), "returns the new body");
        assertNull(DirectBeanCalls.exchangeMethod(steps, "twice"), "overloaded");
        assertNull(DirectBeanCalls.exchangeMethod(steps, "missing"));
        assertNull(DirectBeanCalls.exchangeMethod(new Object() {
            @SuppressWarnings("unused")
            public void note(Exchange exchange) {
            }
        }, "note"), "a class that is not public");
    }

    @Test
    void theApplicationsOtherFactoryCallsStayCamels() throws Exception {
        Steps steps = new Steps();
        try (CamelContext camel = started(steps, new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:by-type").bean(Steps.class, "answer");
            }
        })) {
            assertTrue(PluginHelper.getBeanProcessorFactory(camel) instanceof DirectBeanCalls);
            assertEquals("answered x", camel.createProducerTemplate().requestBody("direct:by-type", "x", String.class));
        }
    }

    private static CamelContext started(Steps steps, RouteBuilder routes) throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind("steps", steps);
        camel.getCamelContextExtension().addContextPlugin(BeanProcessorFactory.class,
                new DirectBeanCalls(PluginHelper.getBeanProcessorFactory(camel)));
        camel.setStreamCaching(true);
        camel.addRoutes(routes);
        camel.start();
        return camel;
    }
}
