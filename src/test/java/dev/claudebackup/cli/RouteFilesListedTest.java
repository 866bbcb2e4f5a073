package dev.claudebackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The routes in the jar are named one by one in camel.main.routes-include-pattern: a classpath wildcard
 * makes Camel read through the whole jar at every start (one to two seconds). So a route file added to
 * routes/ must be added there too, or it would never load.
 */
class RouteFilesListedTest {

    private static final Path PROJECT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();

    @Test
    void everyCoreRouteFileIsNamedAndNoClasspathWildcard() throws IOException {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(PROJECT.resolve("application.properties"), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        List<String> patterns = List.of(properties.getProperty("camel.main.routes-include-pattern").split(","));
        for (String pattern : patterns) {
            assertFalse(pattern.startsWith("classpath:") && pattern.contains("*"), "a classpath wildcard reads the whole jar: " + pattern);
        }
        List<String> files;
        try (Stream<Path> listing = Files.list(PROJECT.resolve("routes"))) {
            files = listing.filter(file -> file.toString().endsWith(".camel.yaml"))
                    .map(file -> "classpath:routes/" + file.getFileName()).sorted().toList();
        }
        // serve's route is loaded by the serve command alone (SearchServer.ROUTES), never by a backup run
        String serve = "classpath:routes/serve.camel.yaml";
        assertTrue(files.contains(serve), "the serve command's route");
        assertFalse(patterns.contains(serve), "a backup run never serves");
        assertEquals(files.stream().filter(file -> !file.equals(serve)).toList(),
                patterns.stream().filter(pattern -> pattern.startsWith("classpath:routes/")).sorted().toList());
    }
}
