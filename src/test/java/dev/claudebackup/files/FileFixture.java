package dev.claudebackup.files;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.FakeClaudeApi.Request;
import dev.claudebackup.demo.FakeClaudeApi.Response;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.testing.BackupRunner;

/**
 * The loopback API with file bytes: {@code GET /api/{org}/files/{uuid}/{variant}} and the sandbox
 * download path answered from what a test put here (real PNG, PDF and webp bytes), with the session
 * cookie checked as claude.ai checks it; faults are injected before it with {@link FakeClaudeApi#intercept}.
 * Chats naming the files are made with {@link #chat}.
 */
public final class FileFixture implements AutoCloseable {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Pattern FILE = Pattern.compile("/api/([^/]+)/files/([^/]+)/([^/]+)");
    static final Pattern SANDBOX = Pattern.compile("/api/organizations/([^/]+)/conversations/([^/]+)/wiggle/download-file");
    /** A 1x1 lossless webp. */
    static final byte[] WEBP = Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");

    /** Bytes served for one file and variant, with their content type. */
    record Served(String contentType, byte[] bytes) {
    }

    final SampleAccount account = new SampleAccount();
    final SampleAccount.Organization organization;
    public final FakeClaudeApi api;
    /** uuid + "/" + variant (or "sandbox " + path) to bytes */
    final Map<String, Served> served = new ConcurrentHashMap<>();
    public final List<String> downloads = new CopyOnWriteArrayList<>();
    /** Faults for file requests, asked before the bytes are served. */
    final List<FakeClaudeApi.Interceptor> faults = new CopyOnWriteArrayList<>();

    public FileFixture() throws IOException {
        organization = account.addOrganization("Personal", "chat", "claude_pro");
        api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY);
        api.intercept(this::answer);
    }

    private Optional<Response> answer(Request request) {
        Matcher file = FILE.matcher(request.path());
        Matcher sandbox = SANDBOX.matcher(request.path());
        String key;
        if (file.matches()) {
            key = file.group(2) + "/" + file.group(3);
        } else if (sandbox.matches()) {
            key = "sandbox " + request.query().get("path");
        } else {
            return Optional.empty();
        }
        downloads.add(key);
        for (FakeClaudeApi.Interceptor fault : faults) {
            Optional<Response> injected;
            try {
                injected = fault.intercept(request);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (injected.isPresent()) {
                return injected;
            }
        }
        if (!("sessionKey=" + BackupRunner.SESSION_KEY).equals(request.header("Cookie"))) {
            return Optional.of(Response.json(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\"}}"));
        }
        Served bytes = served.get(key);
        if (bytes == null) {
            return Optional.of(Response.json(404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"Not found\"}}"));
        }
        return Optional.of(new Response(200, Map.of("Content-Type", bytes.contentType()), bytes.bytes()));
    }

    /** The first {@code times} requests for the file get {@code answer} (built from the bytes it would get). */
    void failFirst(int times, String uuid, java.util.function.Function<Served, Response> answer) {
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(times);
        faults.add(request -> {
            Matcher file = FILE.matcher(request.path());
            if (file.matches() && file.group(2).equals(uuid) && left.getAndDecrement() > 0) {
                return Optional.of(answer.apply(served.get(uuid + "/" + file.group(3))));
            }
            return Optional.empty();
        });
    }

    public String serve(String variant, String contentType, byte[] bytes) {
        String uuid = UUID.randomUUID().toString();
        served.put(uuid + "/" + variant, new Served(contentType, bytes));
        return uuid;
    }

    /** Requests for file bytes so far. */
    List<String> downloads(Predicate<String> which) {
        return downloads.stream().filter(which).toList();
    }

    static Predicate<Request> fileRequest(String uuid) {
        return request -> request.path().contains("/files/" + uuid + "/");
    }

    /** A chat whose messages name these entries: each inner list is one message's files_v2 and files. */
    public SampleAccount.Chat chat(String name, ObjectNode... messages) {
        String uuid = UUID.randomUUID().toString();
        return putChat(uuid, name, messages);
    }

    SampleAccount.Chat putChat(String uuid, String name, ObjectNode... messages) {
        ObjectNode chat = MAPPER.createObjectNode();
        chat.put("uuid", uuid);
        chat.put("name", name);
        chat.put("updated_at", java.time.Instant.now().toString());
        ArrayNode list = chat.putArray("chat_messages");
        for (ObjectNode message : messages) {
            list.add(message);
        }
        try {
            return account.putRawChat(organization.uuid(), uuid, name, MAPPER.writeValueAsBytes(chat));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode message(String text) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("uuid", UUID.randomUUID().toString());
        message.put("sender", "human");
        message.put("text", text);
        message.putArray("content");
        message.putArray("files");
        message.putArray("files_v2");
        return message;
    }

    public static ObjectNode withFiles(ObjectNode message, String field, ObjectNode... entries) {
        ArrayNode files = (ArrayNode) message.get(field);
        for (ObjectNode entry : entries) {
            files.add(entry);
        }
        return message;
    }

    static ObjectNode toolUse(ObjectNode message, String tool, ObjectNode input) {
        ObjectNode block = ((ArrayNode) message.get("content")).addObject();
        block.put("type", "tool_use");
        block.put("id", "toolu_" + UUID.randomUUID());
        block.put("name", tool);
        block.set("input", input);
        return message;
    }

    public ObjectNode image(String uuid, String name, String previewUrl) {
        ObjectNode entry = MAPPER.createObjectNode();
        entry.put("file_kind", "image");
        entry.put("file_uuid", uuid);
        entry.put("file_name", name);
        if (previewUrl != null) {
            entry.putObject("preview_asset").put("url", previewUrl);
        }
        return entry;
    }

    ObjectNode document(String uuid, String name, String documentUrl) {
        ObjectNode entry = MAPPER.createObjectNode();
        entry.put("file_kind", "document");
        entry.put("file_uuid", uuid);
        entry.put("file_name", name);
        if (documentUrl != null) {
            entry.putObject("document_asset").put("url", documentUrl);
        }
        return entry;
    }

    String filePath(String uuid, String variant) {
        return "/api/" + organization.uuid() + "/files/" + uuid + "/" + variant;
    }

    Path organizationFolder(Path backup) {
        return backup.resolve("organizations").resolve(ChatFileNamer.slug(organization.name(), organization.uuid()));
    }

    Path filesFolder(Path backup) {
        return organizationFolder(backup).resolve("files");
    }

    /** The saved file of this uuid, found as a reader finds it: the glob *-uuid.* */
    public Optional<Path> savedFile(Path backup, String uuid) throws IOException {
        Path folder = filesFolder(backup);
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        List<Path> found = new ArrayList<>();
        try (var stream = Files.newDirectoryStream(folder, "*-" + uuid + ".*")) {
            stream.forEach(found::add);
        }
        if (found.size() > 1) {
            throw new AssertionError("two files for one uuid: " + found);
        }
        return found.stream().findFirst();
    }

    public BackupRunner.Result backup(Path dir, String... options) {
        List<String> args = new ArrayList<>(List.of(options));
        return BackupRunner.backup(api, dir, args.toArray(String[]::new));
    }

    public static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, new Color((x * 7) % 256, (y * 13) % 256, (x * y) % 256).getRGB());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A small, valid one-page PDF saying {@code text}. */
    public static byte[] pdf(String text) {
        String stream = "BT /F1 24 Tf 72 720 Td (" + text + ") Tj ET";
        List<String> objects = List.of(
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
                "<< /Length " + stream.length() + " >>\nstream\n" + stream + "\nendstream",
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        StringBuilder pdf = new StringBuilder("%PDF-1.4\n");
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(pdf.length());
            pdf.append(i + 1).append(" 0 obj\n").append(objects.get(i)).append("\nendobj\n");
        }
        int xref = pdf.length();
        pdf.append("xref\n0 ").append(objects.size() + 1).append("\n0000000000 65535 f \n");
        for (int offset : offsets) {
            pdf.append(String.format("%010d 00000 n \n", offset));
        }
        pdf.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
        return pdf.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        api.close();
    }
}
