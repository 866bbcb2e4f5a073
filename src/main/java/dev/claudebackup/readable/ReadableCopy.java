package dev.claudebackup.readable;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheFactory;

import dev.claudebackup.report.Console;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.ChatFiles;
import dev.claudebackup.sync.BackupRun;

/**
 * The readable copy of the backup, readable/: each chat as Markdown and as a page, its artifacts as
 * files, the projects, and an index. Derived from the JSON under organizations/ only, so it can be
 * deleted and rebuilt ({@code claude-backup render}); a backup run (routes/readable.camel.yaml) renders
 * each project it saves at once (into an organization's copy already there), the chats it saves as it
 * goes while a core is idle (on a thread of their own, {@link RenderAhead}), and once every file of the
 * run is written whatever else is missing or out of date, then the index.
 */
public final class ReadableCopy {

    static final String CHATS = "chat_conversations";

    private final ReadableFolder folder;
    private final Console console;
    private final Projects projects;
    private final OrganizationNames names;
    private volatile ChatRenderer chats;
    private final ChatIndex index;
    private final IndexStamp stamp;
    /** Something was saved, rendered or removed since the stamp was last checked: the run's end looks at everything. */
    private volatile boolean changed;
    /** Chat files saved in this run: rendered by its end, whatever the index says of them. */
    private final Set<String> savedThisRun = ConcurrentHashMap.newKeySet();
    /** Renders the chats saved while the run waits on the network; stopped at the run's end. */
    private final RenderAhead ahead = new RenderAhead();
    /** This run's files were all written and the copy brought up to date then (backup-written). */
    private volatile boolean broughtUpToDate;
    private final AtomicInteger rendered = new AtomicInteger();

    public ReadableCopy(Path backupRoot, String readableDir, Console console) {
        this.folder = new ReadableFolder(backupRoot, readableDir);
        this.console = console;
        this.projects = new Projects(folder);
        this.names = new OrganizationNames(folder, projects);
        this.index = new ChatIndex(folder, () -> Templates.FACTORY.compile("index.mustache"));
        this.stamp = new IndexStamp(folder);
    }

    /** The templates, compiled when first needed: a run that changed nothing compiles none. */
    private static final class Templates {
        static final MustacheFactory FACTORY = new DefaultMustacheFactory("readable");
    }

    /** Made at the first chat rendered (its template compiled, its Markdown parser built), then shared. */
    private ChatRenderer chats() {
        ChatRenderer made = chats;
        if (made == null) {
            synchronized (this) {
                if (chats == null) {
                    chats = new ChatRenderer(folder, new Markdown(), Templates.FACTORY.compile("chat.mustache"));
                }
                made = chats;
            }
        }
        return made;
    }

    public Path root() {
        return folder.root();
    }

    /** Chats rendered by this object so far (for tests and the benchmark). */
    public int chatsRendered() {
        return rendered.get();
    }

    /**
     * The chat-saved event: the chat is queued for rendering on the readable copy's own thread
     * ({@link RenderAhead}), never here on the fetch thread; a renamed chat's old pages go now.
     */
    public void chatSaved(Exchange exchange) throws IOException {
        String file = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        String previous = exchange.getProperty(ChatFiles.PREVIOUS_FILE_PROPERTY, String.class);
        Path json = sourcePath(file);
        savedThisRun.add(file);
        changed = true;
        if (previous != null && !previous.equals(file)) {
            removeChat(previous);
        }
        BackupRun run = exchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
        if (run != null && run.isAborted()) {
            return; // stopping: nothing more is rendered in this run
        }
        ahead.render(file, () -> {
            BasicFileAttributes attributes = Files.readAttributes(json, BasicFileAttributes.class);
            if (attributes.isRegularFile()) {
                stage(json.getParent().getParent().getFileName().toString());
                renderChat(new ChatRenderer.Source(json, file, attributes));
            }
        });
    }

    /**
     * The project-saved event: instructions, docs and memory anew (a renamed project's old folder removed);
     * in an organization with no readable copy yet, at the run's end with the rest of it.
     */
    public void projectSaved(Exchange exchange) throws IOException {
        String projectJson = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        String previous = exchange.getProperty("previousProjectFolder", String.class);
        changed = true;
        Path source = sourcePath(projectJson).getParent();
        if (previous != null && !previous.isBlank()) {
            Path old = sourcePath(previous.endsWith("project.json") ? previous : previous + "/project.json").getParent();
            if (!old.equals(source)) {
                projects.remove(old.getParent().getParent().getFileName().toString(), old.getFileName().toString());
            }
        }
        String orgSlug = source.getParent().getParent().getFileName().toString();
        if (Files.exists(folder.resolve(orgSlug), LinkOption.NOFOLLOW_LINKS)) {
            projects.render(source);
        } // else its organization's first copy is made whole at the run's end (ReadableFolder.stage), the project with it
        names.forget();
    }

    /**
     * The backup-written event (every file of the run is written, the report not yet): the chats saved and
     * whatever else is missing or out of date are rendered, then the index, so that what fails is in the
     * run's report, its summary and what the run-finished listeners (an email, a commit) are told.
     */
    public void backupWritten(Exchange exchange) throws IOException {
        broughtUpToDate = true;
        bringUpToDate(exchange.getProperty(BackupRun.PROPERTY, BackupRun.class));
    }

    /** The run-finished event: a run whose backup failed before all its files were written renders what it saved now. */
    public void runFinished(Exchange exchange) throws IOException {
        try {
            if (!broughtUpToDate) {
                bringUpToDate(exchange.getProperty(BackupRun.PROPERTY, BackupRun.class));
            }
        } finally {
            broughtUpToDate = false;
        }
    }

    /**
     * A stopped run (SIGTERM, Ctrl-C) renders nothing more once it is told: the chats saved after the stop
     * are not queued, and its end waits for the chat at hand only. Its index is not written, so the next
     * run's end finds every chat it saved out of date (by the index's rows) and renders them, those made
     * ahead again.
     */
    private void bringUpToDate(BackupRun run) throws IOException {
        try {
            ahead.stop();
            if (run != null && run.isAborted()) {
                unstage(run, new AtomicInteger()); // what was rendered ahead is whole: in place
                if (savedThisRun.stream().anyMatch(file -> !ahead.rendered(file))) {
                    console.info("The readable copy of the chats saved is made at the end of the next run");
                }
                return;
            }
            update(false, run);
        } finally {
            savedThisRun.clear();
            ahead.forget();
        }
    }

    /**
     * Renders every chat and project again and writes the index: {@code claude-backup render}.
     * @return how many could not be rendered (each said on stderr)
     */
    public int rebuild() throws IOException {
        return update(true, null);
    }

    private int update(boolean everything, BackupRun run) throws IOException {
        if (!Files.isDirectory(folder.organizations()) && !Files.exists(folder.root())) {
            return 0; // nothing backed up yet (claude.ai refused the key, or sent no account): nothing to read
        }
        // A run that saved nothing, over a readable/ as the last run left it: nothing to read, nothing to write.
        String before = stamp.sources();
        if (!everything && !changed && stamp.matches(before)) {
            return 0;
        }
        changed = false;
        folder.requireNoPlantedLinks();
        folder.removeLeftovers();
        names.forget();
        Set<String> chatFiles = ConcurrentHashMap.newKeySet();
        Set<String> projectFolders = ConcurrentHashMap.newKeySet();
        List<ChatRenderer.Source> toRender = new ArrayList<>();
        Set<String> organizationsToRender = new LinkedHashSet<>();
        List<Path> projectsToRender = new ArrayList<>();
        for (Path organization : organizationFolders()) {
            String orgSlug = organization.getFileName().toString();
            Path chatsFolder = organization.resolve(CHATS);
            if (Files.isDirectory(chatsFolder)) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(chatsFolder, "*.json")) {
                    for (Path json : files) {
                        if (json.getFileName().toString().startsWith(BackupFolder.TEMP_PREFIX)) {
                            continue;
                        }
                        BasicFileAttributes attributes;
                        try {
                            attributes = Files.readAttributes(json, BasicFileAttributes.class); // one look for all three
                        } catch (IOException gone) {
                            continue; // gone since the listing, or a link to nowhere: not a chat to show
                        }
                        if (!attributes.isRegularFile()) {
                            continue;
                        }
                        String relative = folder.backupRoot().relativize(json).toString().replace('\\', '/');
                        chatFiles.add(relative);
                        Path page = folder.page(orgSlug, ChatRenderer.stem(json.getFileName().toString()) + ".html");
                        // rendered ahead in this run and not changed since: done, unless a project saved
                        // after it (or a renamed organization) changed a name its page shows
                        if (everything || savedThisRun.contains(relative) && !ahead.rendered(relative)
                                || !index.current(relative, attributes.lastModifiedTime().toMillis(), attributes.size(), page)
                                || index.showsOtherNames(relative, orgSlug, names)) {
                            toRender.add(new ChatRenderer.Source(json, relative, attributes));
                            organizationsToRender.add(orgSlug);
                        }
                    }
                }
            }
            for (Path project : projects.sourceFolders(orgSlug)) {
                projectFolders.add(orgSlug + "/" + project.getFileName());
                if (everything || projects.stale(project)) {
                    projectsToRender.add(project);
                }
            }
        }
        AtomicInteger failed = new AtomicInteger();
        // An organization with no folder here yet is made in a folder of its own (the chats rendered ahead
        // are there already), renamed into place whole; its projects follow, once it is in place (a chat's
        // page needs only their names, from their JSON).
        try {
            organizationsToRender.forEach(this::stage);
            // The chats that need it, on every core: rendering a whole backup is CPU-bound.
            if (run != null && toRender.size() >= 100) {
                console.info("Rendering " + toRender.size() + " chats readable"); // a few take no time, thousands seconds
            }
            toRender.parallelStream().forEach(source -> {
                try {
                    renderChat(source);
                } catch (IOException | RuntimeException e) {
                    failed.incrementAndGet();
                    report(run, "render " + source.relative() + " readable", e);
                }
            });
        } finally {
            unstage(run, failed); // whatever stopped the rendering, what is in a staging folder is whole
        }
        for (Path project : projectsToRender) {
            try {
                projects.render(project);
            } catch (IOException | RuntimeException e) {
                failed.incrementAndGet();
                report(run, "render the project " + folder.backupRoot().relativize(project) + " readable", e);
            }
        }
        names.forget();
        index.prune(chatFiles, projectFolders);
        List<Projects.Project> described = new ArrayList<>();
        for (Path organization : organizationFolders()) {
            described.addAll(names.projects(organization.getFileName().toString()).values());
        }
        described.sort((a, b) -> a.name().compareToIgnoreCase(b.name()));
        index.write(chatFiles, names, described);
        if (failed.get() == 0 && !changed) {
            stamp.save(before);
        } else {
            stamp.clear(); // what failed is tried again at the end of the next run
        }
        return failed.get();
    }

    /** An organization with no readable copy yet is made out of sight (ReadableFolder.stage); else file by file. */
    private void stage(String orgSlug) {
        try {
            folder.stage(orgSlug);
        } catch (IOException e) {
            // written file by file, as in a folder already there: a real trouble shows there
        }
    }

    /** Every organization made out of sight in this run goes in place. */
    private void unstage(BackupRun run, AtomicInteger failed) {
        for (String orgSlug : folder.stagedOrganizations()) {
            try {
                folder.unstage(orgSlug);
            } catch (IOException e) {
                failed.incrementAndGet();
                index.forgetOrganization(orgSlug); // its pages are not there: rendered again by the next run
                report(run, "put the readable copy of " + orgSlug + " in place", e);
            }
        }
    }

    private void report(BackupRun run, String task, Exception e) {
        String message = "Could not " + task + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        console.error(message);
        if (run != null) {
            run.failed(new BackupRun.Failure(null, null, "readable", message));
        }
    }

    /** The page's script and style come with the index (ChatIndex.write), once per update, not with each chat. */
    private void renderChat(ChatRenderer.Source source) throws IOException {
        index.put(chats().render(source, names, index.rendered(source.relative())));
        rendered.incrementAndGet();
    }

    private void removeChat(String relativeJson) throws IOException {
        Path json = sourcePath(relativeJson);
        chats().remove(json.getParent().getParent().getFileName().toString(), ChatRenderer.stem(json.getFileName().toString()));
        index.forget(relativeJson);
    }

    /** A path from an event, inside organizations/ of the backup folder, or refused. */
    private Path sourcePath(String relative) {
        Path path = folder.backupRoot().resolve(relative).normalize();
        if (!path.startsWith(folder.organizations()) || path.getNameCount() < folder.organizations().getNameCount() + 3) {
            throw new IllegalArgumentException("not a file of the backup's organizations/: " + relative);
        }
        return path;
    }

    private List<Path> organizationFolders() throws IOException {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(folder.organizations())) {
            try (DirectoryStream<Path> organizations = Files.newDirectoryStream(folder.organizations(), Files::isDirectory)) {
                organizations.forEach(found::add);
            }
        }
        found.sort(null);
        return found;
    }
}
