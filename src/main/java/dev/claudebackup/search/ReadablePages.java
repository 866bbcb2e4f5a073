package dev.claudebackup.search;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import io.vertx.core.http.impl.MimeMapping;

/**
 * The readable copy's files as served by routes/serve.camel.yaml: read-only, only files inside the
 * readable folder (no {@code ..}, no symbolic link out of it), {@code index.html} for a folder, the
 * content type from the file name (Vert.x's table; text as UTF-8).
 */
public final class ReadablePages {

    private final Path root;

    public ReadablePages(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Answers the request in the exchange with the file its path names, or 404. */
    public void serve(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        String path = message.getHeader(Exchange.HTTP_PATH, "", String.class);
        Path file = file(path);
        message.removeHeaders("*");
        if (file == null) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            message.setBody(Files.isDirectory(root) ? "Not found.\n"
                    : "There is no readable copy in " + root + " yet: a backup run makes it.\n");
            return;
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, contentType(file.getFileName().toString()));
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Referrer-Policy", "no-referrer");
        message.setBody(Files.readAllBytes(file));
    }

    /** The file under the root that the request's path names, or null. */
    Path file(String rawPath) throws IOException {
        String requestPath;
        try {
            requestPath = new URI(rawPath).getPath(); // the path as sent, percent-encoded: decoded here
        } catch (URISyntaxException e) {
            return null;
        }
        if (requestPath == null || requestPath.indexOf('\0') >= 0 || requestPath.indexOf('\\') >= 0) {
            return null;
        }
        String relative = requestPath.replaceFirst("^/+", "");
        for (String segment : relative.split("/")) {
            if (segment.equals("..") || segment.equals(".") || segment.startsWith(".")) {
                return null; // also no hidden files
            }
        }
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root)) {
            return null;
        }
        if (Files.isDirectory(file)) {
            file = file.resolve("index.html");
        }
        if (!Files.isRegularFile(file)) {
            return null;
        }
        // a symbolic link may point anywhere: the real file must be inside the real root too
        return file.toRealPath().startsWith(root.toRealPath()) ? file : null;
    }

    static String contentType(String fileName) {
        String type = MimeMapping.getMimeTypeForFilename(fileName.toLowerCase(Locale.ROOT));
        if (type == null) {
            return "application/octet-stream";
        }
        boolean text = type.startsWith("text/") || type.equals("application/javascript") || type.equals("application/json")
                || type.equals("image/svg+xml");
        return text ? type + "; charset=utf-8" : type;
    }
}
