package dev.claudebackup.cli;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.engine.DefaultRoutesLoader;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesBuilderLoader;

/**
 * Camel's routes loader, but the route files shipped in the jar ({@code classpath:}) are read once, not
 * twice. Before loading a YAML file Camel parses it a first time, for beans declared in YAML (and
 * Kamelet pipes); ours declare neither (beans are CamelConfiguration classes), and that first parse
 * was 2.6 % of a run with nothing new. A route file of the user's ({@code --routes}) is read as before.
 */
final class ShippedRoutesLoader extends DefaultRoutesLoader {

    private final Map<RoutesBuilderLoader, RoutesBuilderLoader> withoutPreParse = new ConcurrentHashMap<>();

    ShippedRoutesLoader(CamelContext context) {
        super(context);
    }

    @Override
    public RoutesBuilderLoader getRoutesLoader(String extension) throws Exception {
        RoutesBuilderLoader loader = super.getRoutesLoader(extension);
        return loader == null ? null : withoutPreParse.computeIfAbsent(loader, ShippedFilesNotPreParsed::new);
    }

    /** One of Camel's loaders, but for the pre-parse of a shipped file. */
    private static final class ShippedFilesNotPreParsed implements RoutesBuilderLoader {
        private final RoutesBuilderLoader camels;

        ShippedFilesNotPreParsed(RoutesBuilderLoader camels) {
            this.camels = camels;
        }

        @Override
        public void preParseRoute(Resource resource) throws Exception {
            if (!resource.getLocation().startsWith("classpath:")) {
                camels.preParseRoute(resource);
            }
        }

        @Override
        public RoutesBuilder loadRoutesBuilder(Resource resource) throws Exception {
            return camels.loadRoutesBuilder(resource);
        }

        @Override
        public String getSupportedExtension() {
            return camels.getSupportedExtension();
        }

        @Override
        public boolean isSupportedExtension(String extension) {
            return camels.isSupportedExtension(extension);
        }

        @Override
        public CamelContext getCamelContext() {
            return camels.getCamelContext();
        }

        @Override
        public void setCamelContext(CamelContext context) {
            camels.setCamelContext(context);
        }

        @Override
        public void start() {
            camels.start(); // Camel started it when it made it; a started service does nothing here
        }

        @Override
        public void stop() {
            camels.stop();
        }
    }
}
