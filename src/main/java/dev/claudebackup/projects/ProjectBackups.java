package dev.claudebackup.projects;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.MessageHelper;

import dev.claudebackup.api.ApiResponses;
import dev.claudebackup.api.RequestSlots;
import dev.claudebackup.report.Console;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.store.FileNames;
import dev.claudebackup.sync.BackupRun;
import dev.claudebackup.sync.Organization;
import dev.claudebackup.sync.OrganizationBackup;

/**
 * What routes/projects.camel.yaml calls: an organization's project list, which of its projects to fetch
 * (new or changed, or due a recheck), each project's answers, its folder and files, its record in the
 * state once every file is in place, and the organization's memory and styles.
 *
 * <p>The recheck rule: the project list's {@code updated_at} is the only change marker there is. A
 * project whose {@code updated_at} or name moved is fetched whole (project, docs, files list, memory);
 * the parts without a marker of their own (the docs, files list and memory of an unmoved project, the
 * organization's memory and styles) are fetched again once their last fetch is older than
 * {@code backup.recheck-after-hours} (0: every run). {@code --ignore-cache} fetches everything.
 */
public final class ProjectBackups {

    public static final String PROJECTS_FOLDER = "projects";
    public static final String LIST_FILE = "projects.json";
    /** Exchange property: the {@link ProjectPart} (its name) the next request is for. */
    public static final String PART_PROPERTY = "projectPart";
    /** Exchange property: the part just asked for answered 404 (its feature is off there). */
    public static final String PART_OFF_PROPERTY = "projectPartOff";
    public static final String OUTCOME_HEADER = "ClaudeBackupOutcome";
    public static final String FILES_PROPERTY = "projectFiles";
    public static final String PREVIOUS_FOLDER_PROPERTY = "previousProjectFolder";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ProjectPaths paths;
    private final ApiResponses responses;
    private final SavedProjects savedProjects;
    private final BackupFolder backup;
    private final Console console;
    private final Duration recheckAfter;
    private final boolean ignoreCache;
    private final Clock clock;
    private final RequestSlots requestSlots;
    /** Per run (a schedule makes many), the organizations whose project list was read whole. */
    private final Map<BackupRun, Map<String, OrganizationProjects>> listedInFull = new ConcurrentHashMap<>();

    public ProjectBackups(ProjectPaths paths, ApiResponses responses, SavedProjects savedProjects, BackupFolder backup,
                          Console console, Duration recheckAfter, boolean ignoreCache, Clock clock, RequestSlots requestSlots) {
        this.paths = paths;
        this.responses = responses;
        this.savedProjects = savedProjects;
        this.backup = backup;
        this.console = console;
        this.recheckAfter = recheckAfter.isNegative() ? Duration.ZERO : recheckAfter;
        this.ignoreCache = ignoreCache;
        this.clock = clock;
        this.requestSlots = requestSlots;
    }

    // --- the organization's list ---

    /** The organization whose chats were just backed up: its projects' part begins with the list request. */
    public void begin(Exchange exchange) {
        Organization organization = exchange.getProperty(Organization.PROPERTY, Organization.class);
        OrganizationBackup chats = exchange.getProperty(OrganizationBackup.PROPERTY, OrganizationBackup.class);
        OrganizationProjects projects = new OrganizationProjects(organization, chats.folder());
        exchange.setProperty(OrganizationProjects.PROPERTY, projects);
        run(exchange).projectsBegun(organization.label());
        exchange.removeProperty(PART_PROPERTY);
        exchange.setProperty("apiPath", paths.projects(organization.uuid()));
        exchange.setProperty("apiWhat", "the project list of " + organization.label());
        exchange.setProperty("apiExpect", "list");
        exchange.removeProperty("apiExpectUuid");
        exchange.setProperty("apiOptional", false);
    }

    /** The list came whole: its projects are noted, and it is saved as answered ({@code projects.json}). */
    public byte[] acceptList(Exchange exchange) throws IOException {
        OrganizationProjects organization = organization(exchange);
        JsonNode answer = responses.json(exchange);
        List<ProjectRef> listed = new ArrayList<>();
        for (JsonNode entry : answer.isArray() ? answer : answer.path("data")) {
            try {
                listed.add(ProjectRef.of(organization.organization(), entry));
            } catch (IllegalArgumentException noUuid) {
                console.error("Skipping a project: " + noUuid.getMessage());
                run(exchange).projectFailed(new BackupRun.Failure(organization.organization().label(), null,
                        entry.path("name").asText(""), noUuid.getMessage()));
            }
        }
        organization.listed(listed);
        exchange.getMessage().setHeader(Exchange.FILE_NAME, organization.folder() + "/" + LIST_FILE);
        return body(exchange);
    }

    /**
     * The projects to fetch now: new, changed (updated_at or name moved), missing on disk, or due a recheck.
     * The others are counted unchanged and cost no request.
     */
    public List<ProjectBackup> toBackUp(Exchange exchange) throws IOException {
        OrganizationProjects organization = organization(exchange);
        BackupRun run = run(exchange);
        String label = organization.organization().label();
        Map<String, String> onDisk = foldersOnDisk(organization.folder());
        // Made here, before the projects are saved in parallel: two threads making it at once would
        // collide (creating a folder is not made for that), and the loser would count as a full disk.
        if (!organization.listed().isEmpty()) {
            backup.createFolders(backup.resolve(organization.folder() + "/" + PROJECTS_FOLDER));
        }
        List<ProjectBackup> due = new ArrayList<>();
        for (ProjectRef project : organization.listed()) {
            Optional<SavedProjects.Saved> saved = savedProjects.find(project.uuid());
            Optional<String> existing = saved.map(s -> organization.folder() + "/" + PROJECTS_FOLDER + "/" + s.folder())
                    .filter(folder -> Files.isDirectory(backup.resolve(folder)))
                    .or(() -> Optional.ofNullable(onDisk.get(project.uuid())));
            String wanted = organization.folder() + "/" + PROJECTS_FOLDER + "/" + project.folderName();
            boolean full = ignoreCache || saved.isEmpty()
                    || !saved.get().updatedAt().equals(project.updatedAt())
                    || !wanted.equals(existing.orElse(null))
                    || !Files.isRegularFile(backup.resolve(wanted + "/" + ProjectPart.PROJECT.fileName()));
            if (full || recheckDue(saved.get().checkedAt())) {
                due.add(new ProjectBackup(project, organization.folder(), full, existing));
            } else {
                run.recordProject(label, BackupRun.Outcome.UNCHANGED);
            }
        }
        return due;
    }

    // --- one request ---

    /** Sets the request for the part in exchange property {@value #PART_PROPERTY}, with what its answer must be. */
    public void request(Exchange exchange) {
        ProjectPart part = part(exchange);
        Organization organization = organization(exchange).organization();
        ProjectBackup project = exchange.getProperty(ProjectBackup.PROPERTY, ProjectBackup.class);
        exchange.removeProperty(PART_OFF_PROPERTY);
        String org = organization.uuid();
        String path = switch (part) {
            case PROJECT -> paths.project(org, project.project().uuid());
            case DOCS -> paths.docs(org, project.project().uuid());
            case FILES -> paths.files(org, project.project().uuid());
            case MEMORY -> paths.projectMemory(org, project.project().uuid());
            case ORGANIZATION_MEMORY -> paths.memory(org);
            case STYLES -> paths.styles(org);
        };
        exchange.setProperty("apiPath", path);
        exchange.setProperty("apiWhat", part.description() + " of "
                + (part.ofOrganization() ? "organization " + organization.label() : "project " + project.project().label()));
        exchange.setProperty("apiExpect", part.expect());
        if (part == ProjectPart.PROJECT) {
            exchange.setProperty("apiExpectUuid", project.project().uuid());
        } else {
            exchange.removeProperty("apiExpectUuid");
        }
        exchange.setProperty("apiOptional", part.optional());
    }

    /** A project's part answered: kept until every part is in. An organization's part stays the body, to be written. */
    public void keep(Exchange exchange) {
        ProjectPart part = part(exchange);
        if (!part.ofOrganization()) {
            exchange.getProperty(ProjectBackup.PROPERTY, ProjectBackup.class).answered(part, body(exchange));
        }
    }

    /** The onException of a 404 from an optional part: its feature is off there; noted, and the route goes on. */
    public void featureOff(Exchange exchange) {
        // The answer is in, but call-claude-api stopped before it gave the slot back. Left to the end of
        // the exchange, it would be given back only when the whole run ends (a split hands its parts'
        // completions to the exchange it split), and a few such 404s would hold every slot.
        requestSlots.release(exchange);
        ProjectPart part = part(exchange);
        exchange.setProperty(PART_OFF_PROPERTY, true);
        ProjectBackup project = exchange.getProperty(ProjectBackup.PROPERTY, ProjectBackup.class);
        if (project != null && !part.ofOrganization()) {
            project.featureOff(part);
        }
        console.info(capitalized(exchange.getProperty("apiWhat", part.description(), String.class))
                + " answered 404: off there, nothing to save");
    }

    // --- one project's files ---

    /**
     * Every answer is in: the folder of a renamed project is moved (never two folders for one uuid), and
     * the files to write are set out. A recheck writes only the files whose answer changed.
     */
    public void place(Exchange exchange) throws IOException {
        ProjectBackup project = exchange.getProperty(ProjectBackup.PROPERTY, ProjectBackup.class);
        String target = project.folder();
        Path targetPath = backup.resolve(target);
        Optional<String> existing = project.existingFolder().filter(folder -> Files.isDirectory(backup.resolve(folder)));
        if (existing.isPresent() && !existing.get().equals(target)) {
            console.info("Renaming project " + lastPart(existing.get()) + " to " + lastPart(target));
            Path existingPath = backup.resolve(existing.get());
            if (!Files.exists(targetPath, LinkOption.NOFOLLOW_LINKS) || FileNames.sameFile(existingPath, targetPath)) {
                // a case-only or normalization-only rename on macOS or Windows is one folder: renamed in
                // place, never written into and then deleted as "the old folder"
                backup.rename(existingPath, targetPath);
            } else {
                project.replaces(existing.get()); // the new name is another folder: the old one goes once all is in
            }
        }
        backup.createFolders(targetPath);
        for (ProjectPart part : ProjectPart.values()) {
            byte[] answer = project.answers().get(part);
            if (answer == null) {
                continue;
            }
            String file = target + "/" + part.fileName();
            if (project.isFull() || !sameAsSaved(file, answer)) {
                project.pend(new ProjectBackup.PendingFile(file, answer));
            }
        }
    }

    /** The loop's file number {@code CamelLoopIndex}: its path in CamelFileName, its bytes as the body. */
    public void fileToWrite(Exchange exchange) {
        ProjectBackup project = exchange.getProperty(ProjectBackup.PROPERTY, ProjectBackup.class);
        ProjectBackup.PendingFile file = project.pending().get(exchange.getProperty(Exchange.LOOP_INDEX, Integer.class));
        exchange.getMessage().setHeader(Exchange.FILE_NAME, file.path());
        exchange.getMessage().setBody(file.bytes());
    }

    /**
     * Every file of the project is in place: their dates set, the old folder of a renamed project gone,
     * then the record made (from now on it counts as saved), the run counts it, and the exchange is
     * made the project-saved event (CONTRACTS.md point 2). Stdout is the chats' alone: a project saved
     * is said on stderr.
     */
    public void saved(Exchange exchange) throws IOException {
        ProjectBackup project = exchange.getProperty(ProjectBackup.PROPERTY, ProjectBackup.class);
        ProjectRef ref = project.project();
        String target = project.folder();
        List<ProjectBackup.PendingFile> written = project.pending();
        for (ProjectBackup.PendingFile file : written) {
            updatedAt(file).ifPresent(time -> setModified(backup.resolve(file.path()), time));
        }
        Optional<String> existing = project.existingFolder();
        Optional<String> replaced = project.replacedFolder();
        if (replaced.isPresent()) {
            backup.deleteFolder(replaced.get()); // the new name was taken already: the project is all there now
        }
        SavedProjects.Saved before = savedProjects.find(ref.uuid()).orElse(null);
        String updatedAt = project.isFull() || before == null ? ref.updatedAt() : before.updatedAt();
        savedProjects.record(new SavedProjects.Saved(ref.uuid(), ref.organization().uuid(), ref.folderName(), ref.name(),
                updatedAt, clock.instant(), project.absentText()));

        BackupRun.Outcome outcome = written.isEmpty() ? BackupRun.Outcome.UNCHANGED
                : existing.isEmpty() ? BackupRun.Outcome.NEW
                : existing.get().equals(target) ? BackupRun.Outcome.UPDATED : BackupRun.Outcome.RENAMED;
        run(exchange).recordProject(ref.organization().label(), outcome);
        Message message = exchange.getMessage();
        message.setHeader(OUTCOME_HEADER, outcome.name());
        if (outcome == BackupRun.Outcome.UNCHANGED) {
            return;
        }
        String projectFile = target + "/" + ProjectPart.PROJECT.fileName();
        byte[] projectJson = project.answers().get(ProjectPart.PROJECT);
        message.setBody(projectJson != null ? projectJson : Files.readAllBytes(backup.resolve(projectFile)));
        message.setHeader(Exchange.FILE_NAME, projectFile);
        exchange.setProperty(ProjectRef.PROPERTY, ref);
        exchange.setProperty(FILES_PROPERTY, written.stream().map(ProjectBackup.PendingFile::path).toList());
        if (outcome == BackupRun.Outcome.RENAMED) {
            exchange.setProperty(PREVIOUS_FOLDER_PROPERTY, existing.get());
        }
        console.info("Saved project " + ref.label() + ": " + outcome.name().toLowerCase(Locale.ROOT));
    }

    /**
     * The list was read whole: projects saved earlier that it no longer names are counted deleted
     * upstream; the organization is noted as listed in full, for {@link #removeDeleted}.
     */
    public void finish(Exchange exchange) {
        OrganizationProjects organization = organization(exchange);
        BackupRun run = run(exchange);
        if (organization.listed() == null) {
            return;
        }
        listedInFull.computeIfAbsent(run, r -> new ConcurrentHashMap<>()).put(organization.organization().uuid(), organization);
        for (SavedProjects.Saved saved : deletedUpstream(organization)) {
            run.recordProject(organization.organization().label(), BackupRun.Outcome.DELETED_UPSTREAM);
        }
    }

    /**
     * Once every file of the run is written ({@code events.backup-written}): projects deleted on claude.ai
     * are kept, since this is a backup, unless {@code --ignore-cache} was given and the run read every
     * organization's project list and failed nowhere (a clean, complete listing), as for the chats.
     */
    public void removeDeleted(Exchange exchange) throws IOException {
        BackupRun run = run(exchange);
        Map<String, OrganizationProjects> listed = listedInFull.remove(run);
        if (!ignoreCache || listed == null) {
            return;
        }
        boolean remove = !run.isAborted() && run.failures().isEmpty() && listed.keySet().containsAll(run.organizationsBegun());
        int kept = 0;
        for (OrganizationProjects organization : listed.values()) {
            for (SavedProjects.Saved saved : deletedUpstream(organization)) {
                if (remove) {
                    String folder = organization.folder() + "/" + PROJECTS_FOLDER + "/" + saved.folder();
                    console.info("Removing " + folder + ": project " + saved.uuid() + " no longer exists on claude.ai");
                    backup.deleteFolder(folder);
                    savedProjects.forget(saved.uuid());
                } else {
                    kept++;
                }
            }
        }
        if (!remove && kept > 0) {
            console.error("Removing no project: not every project list was read in full without a failure (" + kept
                    + " projects no longer on claude.ai are kept)");
        }
    }

    private List<SavedProjects.Saved> deletedUpstream(OrganizationProjects organization) {
        Set<String> listed = new HashSet<>();
        organization.listed().forEach(project -> listed.add(project.uuid()));
        return savedProjects.ofOrganization(organization.organization().uuid()).stream()
                .filter(saved -> !listed.contains(saved.uuid())).toList();
    }

    // --- the organization's memory and styles ---

    /** The organization's parts due a fetch (never fetched, their recheck due, or --ignore-cache), by name. */
    public List<String> organizationPartsDue(Exchange exchange) {
        String organization = organization(exchange).organization().uuid();
        List<String> due = new ArrayList<>();
        for (ProjectPart part : List.of(ProjectPart.ORGANIZATION_MEMORY, ProjectPart.STYLES)) {
            if (ignoreCache || savedProjects.checkedAt(organization, part).map(this::recheckDue).orElse(true)) {
                due.add(part.name());
            }
        }
        return due;
    }

    /** The organization's part answered: its file name, for the write. */
    public void organizationPartFile(Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.FILE_NAME, organization(exchange).folder() + "/" + part(exchange).fileName());
        MessageHelper.resetStreamCache(exchange.getMessage());
    }

    /** The organization's part was written (or answered 404): its date set, its fetch recorded. */
    public void organizationPartSaved(Exchange exchange) {
        ProjectPart part = part(exchange);
        boolean off = exchange.getProperty(PART_OFF_PROPERTY, false, Boolean.class);
        OrganizationProjects organization = organization(exchange);
        if (!off && part == ProjectPart.ORGANIZATION_MEMORY) {
            Path file = backup.resolve(organization.folder() + "/" + part.fileName());
            try {
                updatedAt(Files.readAllBytes(file)).ifPresent(time -> setModified(file, time));
            } catch (IOException unreadable) {
                // written a moment ago; without its date it is still saved
            }
        }
        savedProjects.checked(organization.organization().uuid(), part, clock.instant(), off);
    }

    // --- helpers ---

    private boolean recheckDue(Instant checkedAt) {
        return recheckAfter.isZero() || !checkedAt.plus(recheckAfter).isAfter(clock.instant());
    }

    /** The project folders under the organization's projects/, by the uuid their names end with. */
    private Map<String, String> foldersOnDisk(String organizationFolder) throws IOException {
        Map<String, String> byUuid = new HashMap<>();
        Path projects = backup.resolve(organizationFolder + "/" + PROJECTS_FOLDER);
        if (Files.isDirectory(projects)) {
            try (Stream<Path> folders = Files.list(projects)) {
                folders.filter(Files::isDirectory).sorted().forEach(folder -> ChatFileNamer.uuidOf(folder.getFileName().toString())
                        .ifPresent(uuid -> byUuid.putIfAbsent(uuid, backup.relativize(folder))));
            }
        }
        return byUuid;
    }

    private boolean sameAsSaved(String file, byte[] answer) {
        Path path = backup.resolve(file);
        try {
            return Files.isRegularFile(path) && Arrays.equals(Files.readAllBytes(path), answer);
        } catch (IOException unreadable) {
            return false;
        }
    }

    /** project.json and memory.json carry an updated_at; the lists (docs, files, styles) do not. */
    private static Optional<Instant> updatedAt(ProjectBackup.PendingFile file) {
        boolean dated = file.path().endsWith("/" + ProjectPart.PROJECT.fileName()) || file.path().endsWith("/" + ProjectPart.MEMORY.fileName());
        return dated ? updatedAt(file.bytes()) : Optional.empty();
    }

    private static Optional<Instant> updatedAt(byte[] answer) {
        try {
            JsonNode json = MAPPER.readTree(answer);
            return Optional.of(Instant.parse(json.path("updated_at").asText("")));
        } catch (IOException | DateTimeParseException noDate) {
            return Optional.empty();
        }
    }

    private static void setModified(Path path, Instant time) {
        try {
            Files.setLastModifiedTime(path, FileTime.from(time));
        } catch (IOException e) {
            // The content is saved; a file system without settable times loses only the date.
        }
    }

    private static byte[] body(Exchange exchange) {
        MessageHelper.resetStreamCache(exchange.getMessage());
        byte[] bytes = exchange.getMessage().getBody(byte[].class);
        return bytes == null ? new byte[0] : bytes;
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String lastPart(String folder) {
        return folder.substring(folder.lastIndexOf('/') + 1);
    }

    private static ProjectPart part(Exchange exchange) {
        return ProjectPart.valueOf(exchange.getProperty(PART_PROPERTY, String.class));
    }

    private static OrganizationProjects organization(Exchange exchange) {
        return exchange.getProperty(OrganizationProjects.PROPERTY, OrganizationProjects.class);
    }

    private static BackupRun run(Exchange exchange) {
        return exchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
    }
}
