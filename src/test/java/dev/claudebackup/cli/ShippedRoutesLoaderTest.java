package dev.claudebackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesBuilderLoader;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routes loader the application installs: a route file shipped in the jar is not pre-parsed, one of
 * the user's is, and both are loaded by Camel's own loader; real YAML routes of both kinds run.
 */
class ShippedRoutesLoaderTest {

    /** A loader of the extension that notes what it is asked. */
    static final class NotingLoader extends org.apache.camel.support.RoutesBuilderLoaderSupport {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final RoutesBuilder routes = new RouteBuilder() {
            @Override
            public void configure() {
            }
        };

        @Override
        public String getSupportedExtension() {
            return "noted.yaml";
        }

        @Override
        public void preParseRoute(Resource resource) {
            calls.add("pre-parse " + resource.getLocation());
        }

        @Override
        public RoutesBuilder loadRoutesBuilder(Resource resource) {
            calls.add("load " + resource.getLocation());
            return routes;
        }
    }

    @Test
    void aShippedFileIsNotPreParsedAUsersFileIsAndBothAreLoadedByCamelsLoader() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            NotingLoader noting = new NotingLoader();
            camel.getRegistry().bind(org.apache.camel.impl.engine.DefaultRoutesLoader.ROUTES_LOADER_KEY_PREFIX + "noted.yaml", noting);
            RoutesBuilderLoader loader = new ShippedRoutesLoader(camel).getRoutesLoader("noted.yaml");

            loader.preParseRoute(ResourceHelper.fromString("classpath:routes/backup.noted.yaml", ""));
            loader.preParseRoute(ResourceHelper.fromString("file:/home/someone/routes/mine.noted.yaml", ""));
            RoutesBuilder loaded = loader.loadRoutesBuilder(ResourceHelper.fromString("classpath:routes/backup.noted.yaml", ""));

            assertEquals(List.of("pre-parse file:/home/someone/routes/mine.noted.yaml", "load classpath:routes/backup.noted.yaml"),
                    noting.calls);
            assertSame(noting.routes, loaded);
            assertNull(new ShippedRoutesLoader(camel).getRoutesLoader("no-such-extension"));
        }
    }

    @Test
    void shippedAndUsersYamlRoutesLoadAndRun(@TempDir Path dir) throws Exception {
        Path mine = dir.resolve("mine.camel.yaml");
        Files.writeString(mine, """
                - route:
                    id: mine
                    from:
                      uri: direct:mine
                      steps:
                        - setBody:
                            simple: "mine ${body}"
                """);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getCamelContextExtension().addContextPlugin(RoutesLoader.class, new ShippedRoutesLoader(camel));
            PluginHelper.getRoutesLoader(camel).loadRoutes(
                    PluginHelper.getResourceLoader(camel).resolveResource("classpath:routes/errors.camel.yaml"),
                    PluginHelper.getResourceLoader(camel).resolveResource("file:" + mine));
            camel.start();

            assertEquals("mine chat", camel.createProducerTemplate().requestBody("direct:mine", "chat", String.class));
            assertEquals(1, camel.getRoutes().size());
        }
    }
}
