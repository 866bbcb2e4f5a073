package dev.claudebackup.search;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import org.apache.camel.component.platform.http.vertx.HttpMessage;

import io.vertx.core.http.impl.MimeMapping;
import io.vertx.core.net.HostAndPort;

/**
 * The readable copy's files as served by routes/serve.camel.yaml: read-only, only files inside the
 * readable folder (no {@code ..}, no symbolic link out of it), {@code index.html} for a folder, the
 * content type from the file name (Vert.x's table; text as UTF-8); and the saved files the chat pages
 * link to, {@code /organizations/<OrgSlug>/files/<name>}, nothing else of the backup.
 *
 * <p>What claude.ai's content made (artifacts, uploaded and generated files) is untrusted: it is served
 * with a Content-Security-Policy {@code sandbox} (no allow-scripts, no allow-same-origin), so an HTML or
 * SVG artifact still shows as it was meant to look, but no script of it runs, and it has an opaque origin
 * of its own, never the one of /api/search. That keeps artifacts readable, which serving them as
 * text/plain would not. Every request must name this server in its Host header (DNS rebinding).
 */
public final class ReadablePages {

    /** The pages' own: their scripts and styles are files of readable/assets, never inline. */
    static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " media-src 'self'; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    /** Content from claude.ai: shown, never run, in an origin of its own. */
    static final String UNTRUSTED_POLICY = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
            + " media-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    /** What a browser shows inline; anything else (SVG too: it can hold script) is downloaded. */
    private static final Set<String> INLINE_IMAGES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");
    static final String FILES = "files";

    private final Path root;
    private final Path organizations;
    private final Set<String> hosts;

    /**
     * @param root the readable copy's folder
     * @param organizations the backup's organizations folder, whose {@code <OrgSlug>/files/} are served
     * @param hosts the Host headers this server answers (lower case, {@code host:port})
     */
    public ReadablePages(Path root, Path organizations, Set<String> hosts) {
        this.root = root.toAbsolutePath().normalize();
        this.organizations = organizations.toAbsolutePath().normalize();
        this.hosts = Set.copyOf(hosts);
    }

    /** The Host headers a server bound to {@code bind:port} answers: loopback's names and the address it listens on. */
    public static Set<String> hosts(String bind, int port) {
        String shown = bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
        Set<String> hosts = new java.util.HashSet<>();
        for (String host : List.of("127.0.0.1", "localhost", "[::1]", shown.toLowerCase(Locale.ROOT))) {
            hosts.add(host + ":" + port);
            if (port == 80) {
                hosts.add(host); // a browser leaves the default port out
            }
        }
        return hosts;
    }

    /** Whether the request names another host than this server: a page of another site that had its name point here. */
    public boolean foreignHost(Exchange exchange) {
        // HTTP/2 has no Host header but an :authority; Vert.x gives either as the request's authority
        HttpMessage http = exchange.getIn(HttpMessage.class);
        HostAndPort authority = http == null ? null : http.getRequest().authority();
        if (authority == null) {
            return true;
        }
        String host = authority.host().toLowerCase(Locale.ROOT);
        host = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return !hosts.contains(authority.port() < 0 ? host : host + ":" + authority.port());
    }

    public void forbid(Exchange exchange) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 403);
        message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        secure(message, false);
        message.setBody("This server answers only requests for its own address.\n");
    }

    /** The headers every answer carries. */
    static void secure(Message message, boolean untrusted) {
        message.setHeader("Content-Security-Policy", untrusted ? UNTRUSTED_POLICY : PAGE_POLICY);
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Referrer-Policy", "no-referrer");
        message.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    }

    /** Answers the request in the exchange with the file its path names, or 404. */
    public void serve(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        String path = message.getHeader(Exchange.HTTP_PATH, "", String.class);
        List<String> segments = segments(path);
        message.removeHeaders("*");
        boolean savedFile = segments != null && segments.size() == 4 && segments.get(0).equals("organizations")
                && segments.get(2).equals(FILES);
        Path file = segments == null ? null
                : savedFile ? savedFile(segments.get(1), segments.get(3))
                : inside(root, String.join("/", segments));
        boolean untrusted = savedFile || segments != null && segments.subList(0, Math.max(0, segments.size() - 1)).contains("artifacts");
        secure(message, untrusted);
        if (file == null) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            message.setBody(Files.isDirectory(root) ? "Not found.\n"
                    : "There is no readable copy in " + root + " yet: a backup run makes it.\n");
            return;
        }
        String type = contentType(file.getFileName().toString());
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, type);
        if (savedFile && !INLINE_IMAGES.contains(type)) {
            message.setHeader("Content-Disposition", "attachment");
        }
        message.setBody(Files.readAllBytes(file));
    }

    /** The request path's segments, decoded; null for one that is not a plain path of visible names. */
    static List<String> segments(String rawPath) {
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
        List<String> segments = relative.isEmpty() ? List.of() : List.of(relative.split("/", -1));
        for (String segment : segments) {
            if (segment.startsWith(".")) {
                return null; // no .., no ., no hidden files
            }
        }
        return segments;
    }

    /** The file under the folder that the relative path names, or null. */
    Path file(String rawPath) throws IOException {
        List<String> segments = segments(rawPath);
        return segments == null ? null : inside(root, String.join("/", segments));
    }

    /** A file of organizations/<OrgSlug>/files/ (neither folder a link), or null. */
    private Path savedFile(String orgSlug, String name) throws IOException {
        Path file = inside(organizations.resolve(orgSlug).resolve(FILES), name);
        if (file == null || !Files.isDirectory(organizations)) {
            return null;
        }
        Path expected = organizations.toRealPath().resolve(orgSlug).resolve(FILES);
        return file.toRealPath().getParent().equals(expected) && !Files.isSymbolicLink(file.getParent())
                && !Files.isSymbolicLink(file.getParent().getParent()) ? file : null;
    }

    private static Path inside(Path folder, String relative) throws IOException {
        Path file = folder.resolve(relative).normalize();
        if (!file.startsWith(folder)) {
            return null;
        }
        if (Files.isDirectory(file)) {
            file = file.resolve("index.html");
        }
        if (!Files.isRegularFile(file)) {
            return null;
        }
        // a symbolic link may point anywhere: the real file must be inside the real folder too
        return file.toRealPath().startsWith(folder.toRealPath()) ? file : null;
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
