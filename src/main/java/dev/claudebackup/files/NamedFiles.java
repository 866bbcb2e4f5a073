package dev.claudebackup.files;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.claudebackup.store.ChatFileNamer;

/**
 * The files a saved chat or project names, read from its JSON: each message's {@code files} and
 * {@code files_v2} (which often name the same file: it is listed once), the sandbox files of
 * {@code present_files} and {@code create_file} tool calls, and a project's {@code files.json}.
 *
 * <p>Which rendition: an image's {@code preview} (its full rendition; the {@code thumbnail} only where
 * there is no preview), a document's {@code document_pdf} (else its preview). The entry's own asset URL
 * is used where it is a path under {@code /api/} on the base URL's host (the session cookie goes there
 * only); any other URL is ignored and the path is built from {@code claude.api.file-path}. A
 * {@code blob}, or a kind with no known rendition, is listed as not downloadable.
 */
public final class NamedFiles {

    public static final String SANDBOX_OUTPUTS = "/mnt/user-data/outputs/";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();

    private final URI baseUrl;
    private final String filePath;
    private final String sandboxFilePath;

    /**
     * @param filePath        e.g. {@code /api/{org}/files/{file}/{variant}}
     * @param sandboxFilePath e.g. {@code /api/organizations/{org}/conversations/{chat}/wiggle/download-file?path={path}}
     */
    public NamedFiles(URI baseUrl, String filePath, String sandboxFilePath) {
        this.baseUrl = baseUrl;
        this.filePath = filePath;
        this.sandboxFilePath = sandboxFilePath;
    }

    /**
     * The files of a saved chat, read from its file as a stream: a chat may be hundreds of megabytes, and
     * only the parts of one message that can name files are held at a time.
     */
    public List<NamedFile> ofChat(Path chatFile, FileOwner owner) throws IOException {
        try (InputStream in = Files.newInputStream(chatFile)) {
            return ofChat(in, owner);
        }
    }

    /** The files of a chat, read from its JSON as it was saved (a chat-saved event's body: not read from disk again). */
    public List<NamedFile> ofChat(InputStream chatJson, FileOwner owner) throws IOException {
        Map<String, NamedFile> files = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(chatJson)) {
            parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE); // the caller's stream: an event's body is read again
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return List.of();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("chat_messages") && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        ofMessage(fileFields(parser), owner, files);
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
        return List.copyOf(files.values());
    }

    /**
     * The parts of the message at the parser that can name files: {@code files}, {@code files_v2}, and
     * the {@code type}, {@code name} and {@code input} of each content block. The rest (its text, a pasted
     * attachment's extracted content, tool results), however long, is skipped without being read into memory.
     */
    private static ObjectNode fileFields(JsonParser parser) throws IOException {
        ObjectNode message = MAPPER.createObjectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("files") || field.equals("files_v2")) {
                message.set(field, parser.readValueAsTree());
            } else if (field.equals("content") && value == JsonToken.START_ARRAY) {
                ArrayNode blocks = message.putArray("content");
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (parser.currentToken() != JsonToken.START_OBJECT) {
                        parser.skipChildren();
                        continue;
                    }
                    ObjectNode block = blocks.addObject();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String blockField = parser.currentName();
                        JsonToken blockValue = parser.nextToken();
                        if ((blockField.equals("type") || blockField.equals("name")) && blockValue == JsonToken.VALUE_STRING) {
                            block.put(blockField, parser.getText());
                        } else if (blockField.equals("input") && blockValue == JsonToken.START_OBJECT) {
                            block.set("input", parser.readValueAsTree());
                        } else {
                            parser.skipChildren();
                        }
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
        return message;
    }

    /** The files of a project's files list ({@code files.json}: an array, or an object with a {@code data} array). */
    public List<NamedFile> ofProjectFiles(Path filesJson, FileOwner owner) throws IOException {
        JsonNode list = MAPPER.readTree(filesJson.toFile());
        Map<String, NamedFile> files = new LinkedHashMap<>();
        for (JsonNode entry : list.isArray() ? list : list.path("data")) {
            add(files, uploaded(entry, owner));
        }
        return List.copyOf(files.values());
    }

    void ofMessage(JsonNode message, FileOwner owner, Map<String, NamedFile> files) {
        for (String field : List.of("files_v2", "files")) {
            for (JsonNode entry : message.path(field)) {
                add(files, uploaded(entry, owner));
            }
        }
        for (JsonNode block : message.path("content")) {
            if (!"tool_use".equals(block.path("type").asText())) {
                continue;
            }
            String tool = block.path("name").asText();
            JsonNode input = block.path("input");
            List<String> paths = new ArrayList<>();
            if (tool.equals("create_file")) {
                paths.add(input.path("path").asText(""));
            } else if (tool.equals("present_files")) {
                strings(input, paths);
            }
            for (String path : paths) {
                if (isSandboxOutput(path)) {
                    add(files, sandbox(path, owner));
                }
            }
        }
    }

    /** The first entry of a uuid wins: files_v2 is read before files, and has the asset URLs. */
    private static void add(Map<String, NamedFile> files, NamedFile file) {
        files.putIfAbsent(file.uuid() == null ? "entry " + files.size() : file.uuid(), file);
    }

    NamedFile uploaded(JsonNode entry, FileOwner owner) {
        String uuid = entry.path("file_uuid").asText(entry.path("uuid").asText(""));
        String name = entry.path("file_name").asText(entry.path("name").asText(""));
        String kind = entry.path("file_kind").asText("");
        if (!ChatFileNamer.isCanonicalUuid(uuid)) {
            return new NamedFile(owner, null, name, kind, null, null, "no file uuid");
        }
        uuid = uuid.toLowerCase(Locale.ROOT);
        String preview = assetUrl(entry, "preview_asset", "preview_url");
        String thumbnail = assetUrl(entry, "thumbnail_asset", "thumbnail_url");
        String document = assetUrl(entry, "document_asset", null);
        if (kind.isEmpty() && (preview != null || thumbnail != null)) {
            kind = "image";
        }
        switch (kind) {
            case "image" -> {
                if (preview == null && thumbnail != null) {
                    return file(owner, uuid, name, kind, "thumbnail", thumbnail);
                }
                return file(owner, uuid, name, kind, "preview", preview);
            }
            case "document" -> {
                if (document == null && preview != null) {
                    return file(owner, uuid, name, kind, "preview", preview);
                }
                return file(owner, uuid, name, kind, "document_pdf", document);
            }
            default -> {
                return new NamedFile(owner, uuid, name, kind, null, null,
                        kind.isEmpty() ? "no file kind" : "a " + kind + " has no rendition to download");
            }
        }
    }

    private NamedFile file(FileOwner owner, String uuid, String name, String kind, String variant, String assetUrl) {
        String path = assetUrl != null ? onBaseHost(assetUrl) : null;
        if (path == null) {
            path = filePath.replace("{org}", owner.organizationUuid()).replace("{file}", uuid).replace("{variant}", variant);
        }
        return new NamedFile(owner, uuid, name, kind, variant, path, null);
    }

    private NamedFile sandbox(String path, FileOwner owner) {
        String uuid = UUID.nameUUIDFromBytes(("sandbox " + owner.uuid() + " " + path).getBytes(StandardCharsets.UTF_8)).toString();
        String name = path.substring(path.lastIndexOf('/') + 1);
        String apiPath = sandboxFilePath.replace("{org}", owner.organizationUuid()).replace("{chat}", owner.uuid())
                .replace("{path}", URLEncoder.encode(path, StandardCharsets.UTF_8));
        return new NamedFile(owner, uuid, name, "sandbox", "sandbox", apiPath, null);
    }

    private static String assetUrl(JsonNode entry, String assetField, String urlField) {
        String url = entry.path(assetField).path("url").asText("");
        if (url.isEmpty() && urlField != null) {
            url = entry.path(urlField).asText("");
        }
        return url.isEmpty() ? null : url;
    }

    /** The URL's path and query when it is a path under /api/ on the base URL's host; else null. */
    String onBaseHost(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (uri.getScheme() != null || uri.getRawAuthority() != null) {
            boolean sameOrigin = uri.getScheme() != null && uri.getScheme().equalsIgnoreCase(baseUrl.getScheme())
                    && uri.getHost() != null && uri.getHost().equalsIgnoreCase(baseUrl.getHost())
                    && port(uri) == port(baseUrl);
            if (!sameOrigin) {
                return null;
            }
        }
        String path = uri.getRawPath();
        if (path == null || !path.startsWith("/api/") || path.contains("/../") || path.contains("/./") || uri.getRawFragment() != null) {
            return null;
        }
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    static boolean isSandboxOutput(String path) {
        return path.startsWith(SANDBOX_OUTPUTS) && path.length() > SANDBOX_OUTPUTS.length() && path.length() < 4096
                && !path.endsWith("/") && !path.contains("/../") && !path.contains("/./") && path.chars().noneMatch(Character::isISOControl);
    }

    private static void strings(JsonNode node, List<String> into) {
        if (node.isTextual()) {
            into.add(node.asText());
        } else if (node.isContainerNode()) {
            node.forEach(child -> strings(child, into));
        }
    }
}
