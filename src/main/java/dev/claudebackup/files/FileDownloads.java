package dev.claudebackup.files;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.hc.client5.http.classic.HttpClient;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.ModalCloseable;

import dev.claudebackup.api.ApiResponses;
import dev.claudebackup.api.ClaudeApiException;
import dev.claudebackup.api.ClaudeHttpClient;
import dev.claudebackup.api.TransientApiException;
import dev.claudebackup.report.Console;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.FileDigests;
import dev.claudebackup.store.PrivateFiles;
import dev.claudebackup.sync.BackupRun;

/**
 * Downloads one file's bytes into its place, streamed: never held whole in memory, never spooled.
 *
 * <p>The GET goes through the HTTP client of the chats' own endpoint ({@code claude.base-url}): the same
 * connection pool, timeouts and session cookie (added by {@code claudeHttpClient} only for the base
 * URL's host). It is sent with {@code executeOpen}, because Camel's HTTP producer hands the body over
 * only after the client has read it to the end (into its stream cache, or nowhere with
 * {@code disableStreamCache}); here the bytes go from the socket to a temporary file in the target
 * folder (created exclusively under a random name, 0600), are forced to disk, and the file is renamed
 * into place. A body shorter than its {@code Content-Length}, or a connection cut, fails the try and
 * leaves no file; the route's retries ask again.
 *
 * <p>404, 410 and a JSON 403 {@code permission_error} (one that is not about the session) mean the file
 * is gone from claude.ai: recorded as unavailable, never asked again, and no failure. Every other answer
 * is judged as every API answer is ({@link ApiResponses}): 401 stops the run, 429 and 5xx are retried.
 */
public final class FileDownloads {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int ERROR_BODY_LIMIT = 64 * 1024;
    private static final int BUFFER = 64 * 1024;
    /** How much of a text/html answer is read to tell a challenge or error page from an HTML file. */
    private static final int HTML_SNIFF = 4096;

    private final String baseUrl;
    private final BackupFolder backup;
    private final SavedFiles savedFiles;
    private final ApiResponses apiResponses;
    private final Console console;
    private final FileProgress progress;
    /** Null: no limit. */
    private final Long maxBytes;
    /** Files being downloaded now: a file named by two chats saved at once is asked for once. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** The run {@link #inFlight} belongs to: a run that stopped half-way leaves nothing in it for the next. */
    private BackupRun inFlightRun;
    private volatile HttpClient client;

    public FileDownloads(String baseUrl, BackupFolder backup, SavedFiles savedFiles, ApiResponses apiResponses,
                         Console console, FileProgress progress, Long maxBytes) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.backup = backup;
        this.savedFiles = savedFiles;
        this.apiResponses = apiResponses;
        this.console = console;
        this.progress = progress;
        this.maxBytes = maxBytes;
    }

    /**
     * Whether the file (the body) must be asked for. It need not when it is saved and whole, gone from
     * claude.ai, known to be bigger than the limit, not downloadable, or being downloaded for another
     * chat right now; the last three are noted in the run's report.
     */
    public boolean wanted(Exchange exchange) {
        NamedFile file = exchange.getMessage().getBody(NamedFile.class);
        exchange.setProperty(NamedFile.PROPERTY, file);
        BackupRun run = run(exchange);
        if (!file.downloadable()) {
            note(run, file, BackupRun.FileOutcome.NOT_DOWNLOADABLE, "not downloadable: " + file.notDownloadableBecause());
            return false;
        }
        if (savedFiles.isSavedAndWhole(file)) {
            return false;
        }
        var known = savedFiles.find(file.uuid());
        if (known.isPresent() && known.get().status() == SavedFiles.Status.UNAVAILABLE) {
            return false;
        }
        if (known.isPresent() && known.get().status() == SavedFiles.Status.TOO_LARGE && maxBytes != null && known.get().size() > maxBytes) {
            tooLarge(run, file, known.get().size());
            return false;
        }
        synchronized (inFlight) {
            if (run != inFlightRun) {
                inFlight.clear();
                inFlightRun = run;
            }
            return inFlight.add(file.uuid());
        }
    }

    /** The download is over, whichever way: another chat may ask for the file again. */
    public void done(Exchange exchange) {
        NamedFile file = exchange.getProperty(NamedFile.PROPERTY, NamedFile.class);
        if (file != null && file.uuid() != null) {
            inFlight.remove(file.uuid());
        }
    }

    /** One GET of the file, its body streamed into place (see the class comment). */
    public void download(Exchange exchange) throws IOException {
        NamedFile file = exchange.getProperty(NamedFile.PROPERTY, NamedFile.class);
        BackupRun run = run(exchange);
        HttpGet request = new HttpGet(baseUrl + file.apiPath());
        request.setHeader(HttpHeaders.ACCEPT, "*/*");
        HttpClientContext context = HttpClientContext.create();
        // backup.request-deadline bounds the wait for the answer and each stall, not a big file still coming
        context.setAttribute(ClaudeHttpClient.DEADLINE_ON_STALLS, Boolean.TRUE);
        ClassicHttpResponse response = client(exchange.getContext()).executeOpen(null, request, context);
        boolean readToTheEnd = false;
        try {
            int status = response.getCode();
            HttpEntity entity = response.getEntity();
            if (status >= 200 && status < 300 && response.getFirstHeader("cf-mitigated") == null) {
                readToTheEnd = save(run, file, status, entity);
                return;
            }
            String body = errorBody(entity);
            String gone = goneBecause(status, body);
            if (gone != null) {
                savedFiles.unavailable(file, gone);
                note(run, file, BackupRun.FileOutcome.UNAVAILABLE, gone);
                console.info("No longer on claude.ai: " + file.label() + " (" + gone + ")");
                return;
            }
            // Every other answer means what it means for any request: ApiResponses says which exception.
            Message message = exchange.getMessage();
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
            for (String name : new String[] {"cf-mitigated", "Retry-After", "Location"}) {
                Header header = response.getFirstHeader(name);
                if (header != null) {
                    message.setHeader(name, header.getValue());
                }
            }
            message.setBody(body);
            apiResponses.check(exchange);
            throw new ClaudeApiException(status, "unexpected answer from claude.ai (HTTP " + status + ")");
        } finally {
            close(response, readToTheEnd);
        }
    }

    /**
     * A body read to its end leaves the connection to the pool; any other is closed at once: closing the
     * stream would read the rest of a file too big, or wait on a connection that broke.
     */
    private static void close(ClassicHttpResponse response, boolean readToTheEnd) {
        try {
            if (!readToTheEnd && response instanceof ModalCloseable closeable) {
                closeable.close(CloseMode.IMMEDIATE);
            } else {
                response.close();
            }
        } catch (IOException e) {
            // nothing more is read from it
        }
    }

    /** Streams the body into place; true when it was read to its end (and so the connection can be kept). */
    private boolean save(BackupRun run, NamedFile file, int status, HttpEntity entity) throws IOException {
        long length = entity == null ? -1 : entity.getContentLength();
        if (maxBytes != null && length > maxBytes) {
            tooLarge(run, file, length); // not one byte of it is read
            return false;
        }
        InputStream in = entity == null ? InputStream.nullInputStream() : entity.getContent();
        String contentType = entity == null ? null : entity.getContentType();
        if (isHtmlType(contentType) && !expectsHtml(file)) {
            in = refuseHtmlPage(in, status);
        }
        Path folder = backup.createFolders(backup.resolve(file.owner().filesFolder())); // never through a planted link
        Path temp = Files.createTempFile(folder, BackupFolder.TEMP_PREFIX, ".download"); // exclusive, random name, 0600
        try {
            PrivateFiles.restrict(temp);
            MessageDigest sha256 = FileDigests.newSha256();
            long size = 0;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[BUFFER];
                int read;
                while ((read = in.read(buffer)) >= 0) { // a cut connection throws here: retried
                    size += read;
                    if (maxBytes != null && size > maxBytes) {
                        tooLarge(run, file, size);
                        return false;
                    }
                    sha256.update(buffer, 0, read);
                    write(out, ByteBuffer.wrap(buffer, 0, read), temp);
                }
                in.close(); // at its end: the connection goes back to the pool
                try {
                    out.force(true);
                } catch (IOException e) {
                    throw diskFailure(temp, e);
                }
            }
            if (length >= 0 && size != length) {
                throw new TransientApiException(status, "the file from claude.ai was cut short (" + size + " of " + length + " bytes)", null);
            }
            Path target = folder.resolve(FileNames.fileName(file.name(), file.uuid(), contentType));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw diskFailure(target, e);
            }
            removeOtherCopies(folder, file.uuid(), target);
            PrivateFiles.forceFolder(folder);
            savedFiles.saved(file, backup.relativize(target), size, FileDigests.hex(sha256));
            run.fileSaved(size);
            progress.step(run);
            return true;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * A 200 that is an HTML page where a PDF or an image was asked for is Cloudflare's challenge or an
     * error page, not the file: files are saved once for good, so it is a failed try (retried), never
     * saved. Its first bytes are judged as ApiResponses judges an API answer; the stream goes on from
     * its start otherwise.
     */
    private static InputStream refuseHtmlPage(InputStream in, int status) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
        buffered.mark(HTML_SNIFF);
        String start = new String(buffered.readNBytes(HTML_SNIFF), StandardCharsets.UTF_8);
        if (ApiResponses.isChallengePage(start)) {
            throw new TransientApiException(status, "a Cloudflare challenge page instead of the file from claude.ai", null);
        }
        if (ApiResponses.isHtml(start)) {
            throw new TransientApiException(status, "an HTML page instead of the file from claude.ai", null);
        }
        buffered.reset();
        return buffered;
    }

    private static boolean isHtmlType(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/html");
    }

    /** An HTML file (its name says so, or its kind) is saved as it comes. */
    private static boolean expectsHtml(NamedFile file) {
        String name = file.name() == null ? "" : file.name().toLowerCase(Locale.ROOT);
        String kind = file.kind() == null ? "" : file.kind().toLowerCase(Locale.ROOT);
        return name.endsWith(".html") || name.endsWith(".htm") || name.endsWith(".xhtml") || kind.contains("html");
    }

    /** One file per uuid: a copy saved under another name (another content type then) goes. */
    private static void removeOtherCopies(Path folder, String uuid, Path kept) throws IOException {
        try (DirectoryStream<Path> copies = Files.newDirectoryStream(folder, "*-" + uuid + ".*")) {
            for (Path copy : copies) {
                if (!copy.equals(kept) && !copy.getFileName().toString().startsWith(BackupFolder.TEMP_PREFIX)) {
                    Files.deleteIfExists(copy);
                }
            }
        }
    }

    private static void write(FileChannel out, ByteBuffer bytes, Path temp) throws FileSystemException {
        try {
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            throw diskFailure(temp, e);
        }
    }

    /** A write that failed is the disk's fault (full, read-only), not claude.ai's: never retried. */
    private static FileSystemException diskFailure(Path file, IOException cause) {
        if (cause instanceof FileSystemException fileSystem) {
            return fileSystem;
        }
        FileSystemException failure = new FileSystemException(file.toString(), null, cause.getMessage());
        failure.initCause(cause);
        return failure;
    }

    /** Why the file is gone from claude.ai, or null when the answer means something else. */
    static String goneBecause(int status, String body) {
        if (status == 404) {
            return "HTTP 404 from claude.ai: not found";
        }
        if (status == 410) {
            return "HTTP 410 from claude.ai: gone";
        }
        if (status == 403) {
            try {
                JsonNode error = MAPPER.readTree(body).path("error");
                boolean aboutTheSession = error.path("details").path("error_code").asText("").equals("account_session_invalid")
                        || error.path("message").asText("").toLowerCase(Locale.ROOT).contains("invalid authorization");
                if (error.path("type").asText("").equals("permission_error") && !aboutTheSession) {
                    String message = error.path("message").asText("");
                    return "HTTP 403 from claude.ai: no permission" + (message.isBlank() ? "" : " (" + message + ")");
                }
            } catch (IOException notJson) {
                return null;
            }
        }
        return null;
    }

    private static String errorBody(HttpEntity entity) {
        if (entity == null) {
            return "";
        }
        try (InputStream in = entity.getContent()) {
            return new String(in.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private void tooLarge(BackupRun run, NamedFile file, long size) {
        savedFiles.tooLarge(file, size);
        String reason = "larger than backup.files.max-size-mb (" + BackupRun.bytes(size) + ")";
        console.info("Skipped " + file.label() + ": " + reason);
        note(run, file, BackupRun.FileOutcome.TOO_LARGE, reason);
    }

    static void note(BackupRun run, NamedFile file, BackupRun.FileOutcome outcome, String reason) {
        FileOwner owner = file.owner();
        run.fileNotSaved(new BackupRun.FileNote(run.organizationLabel(owner.organizationUuid()), owner.kind(), owner.uuid(),
                owner.name(), file.uuid(), file.name(), outcome, reason));
    }

    private HttpClient client(CamelContext context) {
        HttpClient known = client;
        if (known == null) {
            // the very endpoint the chats are fetched through (routes/backup.camel.yaml, call-claude-api)
            HttpEndpoint endpoint = context.getEndpoint(baseUrl + "?throwExceptionOnFailure=false", HttpEndpoint.class);
            known = endpoint.getHttpClient();
            client = known;
        }
        return known;
    }

    private static BackupRun run(Exchange exchange) {
        return exchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
    }

}
