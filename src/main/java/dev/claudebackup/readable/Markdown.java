package dev.claudebackup.readable;

import java.util.List;
import java.util.Locale;

import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.UrlSanitizer;

/**
 * Claude's Markdown as HTML, with commonmark-java and GitHub's tables, strikethrough and autolinks.
 * Untrusted: raw HTML (blocks and inline) is escaped, not passed through, and a link or image keeps its
 * address only when it is http(s) or relative (no javascript:, data:, file:...). The parser and the
 * renderer are thread-safe and made once.
 */
public final class Markdown {

    private static final List<Extension> EXTENSIONS =
            List.of(TablesExtension.create(), StrikethroughExtension.create(), AutolinkExtension.create());

    private final Parser parser = Parser.builder().extensions(EXTENSIONS).build();
    private final HtmlRenderer renderer = HtmlRenderer.builder().extensions(EXTENSIONS)
            .escapeHtml(true)
            .sanitizeUrls(true)
            .urlSanitizer(new HttpOrRelative())
            .build();

    public String toHtml(String markdown) {
        if (markdown == null || markdown.isEmpty()) {
            return "";
        }
        return renderer.render(parser.parse(markdown));
    }

    /** True for http(s) URLs and relative references (no scheme); everything else is dropped. */
    public static boolean isHttpOrRelative(String url) {
        String trimmed = url == null ? "" : url.strip();
        int colon = trimmed.indexOf(':');
        if (colon < 0) {
            return !trimmed.startsWith("//"); // a scheme-relative URL could be any host with file: pages
        }
        int end = firstOf(trimmed, "/?#");
        if (end >= 0 && end < colon) {
            return !trimmed.startsWith("//"); // the colon is in the path, query or fragment: no scheme
        }
        String scheme = trimmed.substring(0, colon).toLowerCase(Locale.ROOT);
        return scheme.equals("http") || scheme.equals("https");
    }

    private static int firstOf(String text, String characters) {
        int first = -1;
        for (char c : characters.toCharArray()) {
            int at = text.indexOf(c);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    private static final class HttpOrRelative implements UrlSanitizer {
        @Override
        public String sanitizeLinkUrl(String url) {
            return isHttpOrRelative(url) ? url : "";
        }

        @Override
        public String sanitizeImageUrl(String url) {
            return sanitizeLinkUrl(url);
        }
    }
}
