package dev.claudebackup.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;

import dev.claudebackup.extras.ListenerFailures;
import dev.claudebackup.report.Console;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.store.SavedChats;
import dev.claudebackup.sync.BackupRun;
import dev.claudebackup.sync.ChatRef;

/**
 * What the files routes split: the files of a chat or project just saved, and of every chat saved
 * earlier whose files were never looked at (before this feature, or adopted from the Python tool).
 * A chat or project counts as looked at once each file it names is settled (saved, gone from
 * claude.ai, or not downloadable); one with a file that failed is looked at again by the next run.
 */
public final class FileLists {

    /** Exchange property: the files of the chat or project being handled. */
    public static final String FILES_PROPERTY = "namedFiles";
    /** Exchange property: the chat or project being handled. */
    public static final String OWNER_PROPERTY = "fileOwner";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The projects' layout (CONTRACTS.md point 3): organizations/<OrgSlug>/projects/<ProjectSlug>/files.json. */
    private static final String PROJECTS_FOLDER = "projects";
    private static final String PROJECT_FILES_LIST = "files.json";

    private final NamedFiles namedFiles;
    private final SavedFiles savedFiles;
    private final SavedChats savedChats;
    private final BackupFolder backup;
    private final Console console;
    /** The chats and projects whose files this run handled already (the catch-up leaves them alone). */
    private final Set<String> handledThisRun = ConcurrentHashMap.newKeySet();
    private volatile BackupRun handledRun;

    public FileLists(NamedFiles namedFiles, SavedFiles savedFiles, SavedChats savedChats, BackupFolder backup, Console console) {
        this.namedFiles = namedFiles;
        this.savedFiles = savedFiles;
        this.savedChats = savedChats;
        this.backup = backup;
        this.console = console;
    }

    /**
     * The files of the chat of a chat-saved event (header CamelFileName) become the body, read from the
     * event's body: the JSON just written to that file, so it is not read from disk again. Set here, not
     * returned: a bean: step that returns the body goes through Camel's reflective binding (see
     * cli.DirectBeanCalls), at every chat.
     */
    public void ofSavedChat(Exchange exchange) throws IOException {
        String file = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        ChatRef chat = exchange.getProperty(ChatRef.PROPERTY, ChatRef.class);
        // set here, not by a Simple expression in the route: ${exchangeProperty.chat.label} introspects every chat anew
        exchange.setProperty(ListenerFailures.TASK_PROPERTY, "save the files of chat " + chat.label());
        FileOwner owner = new FileOwner(FileOwner.CHAT, chat.uuid(), chat.name(), chat.organizationUuid(), organizationFolder(file));
        Message message = exchange.getMessage();
        List<NamedFile> files;
        if (!(message.getBody() instanceof StreamCache body) || !(body instanceof InputStream in)) {
            files = handling(exchange, owner, namedFiles.ofChat(backup.resolve(file), owner)); // a stream read once: the file
        } else {
            body.reset();
            try {
                files = handling(exchange, owner, namedFiles.ofChat(in, owner));
            } finally {
                body.reset(); // for the listeners after this one
            }
        }
        message.setBody(files);
    }

    private void handled(BackupRun run, String ownerUuid) {
        synchronized (handledThisRun) {
            if (run != handledRun) {
                handledThisRun.clear();
                handledRun = run;
            }
            handledThisRun.add(ownerUuid);
        }
    }

    private boolean handledThisRun(BackupRun run, String ownerUuid) {
        synchronized (handledThisRun) {
            return run == handledRun && handledThisRun.contains(ownerUuid);
        }
    }

    /**
     * The files of the project of a project-saved event: its files list, {@code files.json}, among the
     * paths of exchange property {@code projectFiles}; the project is read from project.json (header
     * CamelFileName), the organization from the folder the project is in.
     */
    public List<NamedFile> ofSavedProject(Exchange exchange) throws IOException {
        String projectJson = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        String folder = organizationFolder(projectJson);
        String organization = ChatFileNamer.uuidOf(folder.substring(folder.lastIndexOf('/') + 1))
                .orElseThrow(() -> new IllegalArgumentException("no organization uuid in " + folder));
        JsonNode project = MAPPER.readTree(backup.resolve(projectJson).toFile());
        String uuid = ChatFileNamer.requireCanonicalUuid(project.path("uuid").asText(null), "A project");
        FileOwner owner = new FileOwner(FileOwner.PROJECT, uuid, project.path("name").asText(""), organization, folder);
        List<NamedFile> files = new ArrayList<>();
        List<?> written = exchange.getProperty("projectFiles", List.class);
        for (Object path : written == null ? List.of() : written) {
            if (String.valueOf(path).endsWith("/files.json")) {
                files.addAll(namedFiles.ofProjectFiles(backup.resolve(String.valueOf(path)), owner));
            }
        }
        return handling(exchange, owner, files);
    }

    /**
     * The chats and projects of this run's organizations saved earlier whose files were never looked at
     * (saved before this feature or with --no-files, adopted, a file of theirs failed, or one was set aside
     * by {@code verify --repair}), one at a time as the route asks for them (each is read from its file
     * only then).
     */
    public Iterator<EarlierOwner> earlierOwners(Exchange exchange) throws IOException {
        BackupRun run = exchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
        List<EarlierOwner> owners = new ArrayList<>();
        Set<String> lookedAt = savedFiles.lookedAt();
        int chats = 0;
        for (String organization : run.organizationsBegun()) {
            Optional<String> folder = savedChats.folderOf(organization);
            if (folder.isEmpty()) {
                continue;
            }
            for (Map.Entry<String, String> chat : savedChats.chatFiles(organization).entrySet()) {
                if (!handledThisRun(run, chat.getKey()) && !lookedAt.contains(chat.getKey())) {
                    owners.add(new EarlierOwner(FileOwner.CHAT, chat.getKey(), organization, folder.get(), chat.getValue()));
                    chats++;
                }
            }
            for (Map.Entry<String, String> project : projectFilesLists(folder.get()).entrySet()) {
                if (!handledThisRun(run, project.getKey()) && !lookedAt.contains(project.getKey())) {
                    owners.add(new EarlierOwner(FileOwner.PROJECT, project.getKey(), organization, folder.get(), project.getValue()));
                }
            }
        }
        if (chats > 0) {
            console.info("Looking for the files of " + chats + " chats saved before");
        }
        Iterator<EarlierOwner> all = owners.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return all.hasNext() && !run.isAborted();
            }

            @Override
            public EarlierOwner next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return all.next();
            }
        };
    }

    /** The files lists ({@code files.json}) of the organization's project folders on disk, by the project uuid their names end with. */
    private Map<String, String> projectFilesLists(String organizationFolder) throws IOException {
        Map<String, String> found = new java.util.TreeMap<>();
        Path projects = backup.resolve(organizationFolder + "/" + PROJECTS_FOLDER);
        if (!Files.isDirectory(projects)) {
            return found;
        }
        try (java.util.stream.Stream<Path> folders = Files.list(projects)) {
            folders.filter(folder -> Files.isRegularFile(folder.resolve(PROJECT_FILES_LIST))).sorted()
                    .forEach(folder -> ChatFileNamer.uuidOf(folder.getFileName().toString())
                            .ifPresent(uuid -> found.putIfAbsent(uuid, backup.relativize(folder.resolve(PROJECT_FILES_LIST)))));
        }
        return found;
    }

    /**
     * A chat or project saved earlier, by a run before this feature or adopted, with its file relative to
     * the backup folder: a chat's JSON, a project's files list.
     */
    public record EarlierOwner(String kind, String uuid, String organizationUuid, String organizationFolder, String file) {
    }

    /** The files of a chat or project saved earlier (the body: one of {@link #earlierOwners}). */
    public List<NamedFile> ofEarlierOwner(Exchange exchange) {
        EarlierOwner earlier = exchange.getMessage().getBody(EarlierOwner.class);
        Path path = backup.resolve(earlier.file());
        boolean project = earlier.kind().equals(FileOwner.PROJECT);
        Path named = project ? path.resolveSibling("project.json") : path;
        FileOwner owner = new FileOwner(earlier.kind(), earlier.uuid(), Files.isRegularFile(named) ? chatName(named) : "",
                earlier.organizationUuid(), earlier.organizationFolder());
        if (!Files.isRegularFile(path)) {
            return handling(exchange, owner, List.of());
        }
        String file = earlier.file();
        try {
            return handling(exchange, owner, project ? namedFiles.ofProjectFiles(path, owner) : namedFiles.ofChat(path, owner));
        } catch (IOException unreadable) {
            console.error("Cannot read " + file + " for its files: " + unreadable.getMessage());
            return handling(exchange, owner, List.of());
        }
    }

    /** After the files were handled: the chat or project is looked at when every file it names is settled. */
    public void finished(Exchange exchange) {
        FileOwner owner = exchange.getProperty(OWNER_PROPERTY, FileOwner.class);
        @SuppressWarnings("unchecked")
        List<NamedFile> files = exchange.getProperty(FILES_PROPERTY, List.class);
        BackupRun run = exchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
        if (owner == null || files == null || run.isAborted()) {
            return;
        }
        for (NamedFile file : files) {
            if (file.downloadable() && !savedFiles.isSavedAndWhole(file)
                    && savedFiles.find(file.uuid()).filter(row -> row.status() == SavedFiles.Status.UNAVAILABLE).isEmpty()) {
                return; // failed, too large, or being saved for another chat: looked at again next run
            }
        }
        savedFiles.lookedAt(owner);
    }

    private List<NamedFile> handling(Exchange exchange, FileOwner owner, List<NamedFile> files) {
        handled(exchange.getProperty(BackupRun.PROPERTY, BackupRun.class), owner.uuid());
        exchange.setProperty(OWNER_PROPERTY, owner);
        exchange.setProperty(FILES_PROPERTY, files);
        return files;
    }

    private static String chatName(Path chatFile) {
        try (var parser = MAPPER.getFactory().createParser(chatFile.toFile())) {
            if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return "";
            }
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("name") && parser.currentToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }

    /** {@code organizations/<OrgSlug>} of a path inside an organization's folder. */
    private static String organizationFolder(String path) {
        String[] parts = path.split("/");
        if (parts.length < 3 || !parts[0].equals(BackupFolder.ORGANIZATIONS)) {
            throw new IllegalArgumentException("not inside an organization's folder: " + path);
        }
        return parts[0] + "/" + parts[1];
    }
}
