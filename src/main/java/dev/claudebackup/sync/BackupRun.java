package dev.claudebackup.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.claudebackup.report.Console;

/**
 * One run's outcome, shared by every exchange of the run (the routes keep it in the exchange property
 * {@code backupRun}): the counts, the failures, and whether claude.ai or a stop request ended the run
 * early. It also moves each organization's progress display as its chats are saved or fail.
 */
public final class BackupRun {

    public static final String PROPERTY = "backupRun";

    /** What happened to one chat in this run. */
    public enum Outcome { NEW, UPDATED, RENAMED, UNCHANGED, FAILED, DELETED_UPSTREAM }

    public record Failure(String organization, String uuid, String name, String reason) {
    }

    /** What happened to one image, document or sandbox file of a chat or project in this run. */
    public enum FileOutcome { SAVED, UNAVAILABLE, NOT_DOWNLOADABLE, TOO_LARGE, FAILED }

    /**
     * A file that was not saved, under the chat or project that names it ({@code ownerKind} "chat" or
     * "project"), with the reason.
     */
    public record FileNote(String organization, String ownerKind, String ownerUuid, String ownerName,
                           String fileUuid, String fileName, FileOutcome outcome, String reason) {
    }

    private final Instant startedAt = Instant.now();
    private volatile Instant finishedAt;
    private final Map<String, Map<Outcome, AtomicInteger>> counts = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
    /** The projects' outcomes, per organization label, apart from the chats' (the projects package records them). */
    private final Map<String, Map<Outcome, AtomicInteger>> projectCounts = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, String> organizations = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> fullLists = new ConcurrentHashMap<>();
    private final Map<String, Console.Progress> progress = new ConcurrentHashMap<>();
    /** Chats saved or failed before their organization's display could start (its list still being read). */
    private final Map<String, Integer> earlySteps = new ConcurrentHashMap<>();
    private final Map<FileOutcome, AtomicInteger> fileCounts = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong fileBytes = new java.util.concurrent.atomic.AtomicLong();
    private final List<FileNote> fileNotes = Collections.synchronizedList(new ArrayList<>());
    private final Console console;
    private final java.util.concurrent.atomic.AtomicBoolean undatedSaid = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile ExitStatus abortedWith;
    private volatile String abortReason;
    private volatile String stopReason;
    /** Counted down once nothing more is to be sent: so that a retry's pause ends at a stop. */
    private final CountDownLatch aborted = new CountDownLatch(1);

    /** A run that shows no progress. */
    public BackupRun() {
        this(null);
    }

    /** A run that shows each organization's progress on this console. */
    public BackupRun(Console console) {
        this.console = console;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    /** The run is over: any progress display still open (the run ended early) is closed. */
    public void finish() {
        finishedAt = Instant.now();
        progress.values().forEach(Console.Progress::close);
    }

    public Duration duration() {
        return Duration.between(startedAt, finishedAt == null ? Instant.now() : finishedAt);
    }

    public void record(String organization, Outcome outcome) {
        add(organization, outcome, 1);
        if (outcome == Outcome.NEW || outcome == Outcome.UPDATED || outcome == Outcome.RENAMED) {
            stepProgress(organization);
        }
    }

    /**
     * The organization's list was read: this many of its chats are new or changed, to be fetched now.
     * Each one saved or failed moves its progress one step.
     */
    public void chatsToFetch(String organization, int chats) {
        if (console != null) {
            Console.Progress display;
            synchronized (progress) {
                display = console.progress(organization, chats);
                Console.Progress previous = progress.put(organization, display);
                if (previous != null) {
                    previous.close();
                }
                // The list is read while its first chats are fetched: those already done count now.
                Integer done = earlySteps.remove(organization);
                for (int i = 0; done != null && i < done; i++) {
                    display.step();
                }
            }
        }
    }

    private void stepProgress(String organization) {
        Console.Progress organizationProgress;
        synchronized (progress) {
            organizationProgress = progress.get(organization);
            if (organizationProgress == null) {
                earlySteps.merge(organization, 1, Integer::sum);
                return;
            }
        }
        organizationProgress.step();
    }

    /** A chat listed this run answered 404 when fetched: deleted upstream, and a step of the progress. */
    public void deletedWhileFetching(String organization) {
        add(organization, Outcome.DELETED_UPSTREAM, 1);
        stepProgress(organization);
    }

    public void add(String organization, Outcome outcome, int howMany) {
        counts.computeIfAbsent(organization, o -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, o -> new AtomicInteger()).addAndGet(howMany);
    }

    public int count(String organization, Outcome outcome) {
        Map<Outcome, AtomicInteger> byOutcome = counts.get(organization);
        return byOutcome == null ? 0 : byOutcome.getOrDefault(outcome, new AtomicInteger()).get();
    }

    public void failed(Failure failure) {
        failures.add(failure);
        String organization = failure.organization() == null ? "" : failure.organization();
        record(organization, Outcome.FAILED);
        if (failure.uuid() != null) {
            stepProgress(organization);
        }
    }

    /** A file was saved: {@code bytes} long. */
    public void fileSaved(long bytes) {
        fileCounts.computeIfAbsent(FileOutcome.SAVED, o -> new AtomicInteger()).incrementAndGet();
        fileBytes.addAndGet(bytes);
    }

    /** A file was not saved; a failed one is also a failure of the run (exit status 1), but no chat's. */
    public void fileNotSaved(FileNote note) {
        fileCounts.computeIfAbsent(note.outcome(), o -> new AtomicInteger()).incrementAndGet();
        fileNotes.add(note);
        if (note.outcome() == FileOutcome.FAILED) {
            failures.add(new Failure(note.organization(), note.fileUuid(), note.fileName(),
                    note.reason() + " (a file of " + note.ownerKind() + " " + note.ownerUuid() + ")"));
        }
    }

    public int files(FileOutcome outcome) {
        AtomicInteger count = fileCounts.get(outcome);
        return count == null ? 0 : count.get();
    }

    /** Bytes of the files saved in this run. */
    public long fileBytes() {
        return fileBytes.get();
    }

    public List<FileNote> fileNotes() {
        synchronized (fileNotes) {
            return List.copyOf(fileNotes);
        }
    }

    /** The organization's projects are being backed up: the summary and the report count projects from now on. */
    public void projectsBegun(String organization) {
        projectCounts.computeIfAbsent(organization, o -> new ConcurrentHashMap<>());
    }

    public void recordProject(String organization, Outcome outcome) {
        projectCounts.computeIfAbsent(organization, o -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
    }

    /** A project (or the projects' part of an organization) that failed: a failure of the run, counted with the projects. */
    public void projectFailed(Failure failure) {
        failures.add(failure);
        recordProject(failure.organization() == null ? "" : failure.organization(), Outcome.FAILED);
    }

    public int projectTotal(Outcome outcome) {
        synchronized (projectCounts) {
            return projectCounts.values().stream().mapToInt(c -> c.getOrDefault(outcome, new AtomicInteger()).get()).sum();
        }
    }

    /** Whether any organization's projects were begun this run. */
    public boolean hasProjects() {
        return !projectCounts.isEmpty();
    }

    /** Project counts per organization label, in the order the organizations were met. */
    public Map<String, Map<Outcome, Integer>> projectCountsByOrganization() {
        Map<String, Map<Outcome, Integer>> copy = new LinkedHashMap<>();
        synchronized (projectCounts) {
            projectCounts.forEach((organization, byOutcome) -> {
                Map<Outcome, Integer> values = new LinkedHashMap<>();
                for (Outcome outcome : Outcome.values()) {
                    values.put(outcome, byOutcome.getOrDefault(outcome, new AtomicInteger()).get());
                }
                copy.put(organization, values);
            });
        }
        return copy;
    }

    public void organizationBegun(Organization organization) {
        organizations.put(organization.uuid(), organization.label());
    }

    public Set<String> organizationsBegun() {
        return Set.copyOf(organizations.keySet());
    }

    public String organizationLabel(String uuid) {
        return organizations.getOrDefault(uuid, uuid);
    }

    /** The uuids of an organization whose whole list was read: what exists on claude.ai now. */
    public void listedInFull(String organizationUuid, Set<String> chatUuids) {
        fullLists.put(organizationUuid, Set.copyOf(chatUuids));
    }

    public Map<String, Set<String>> fullLists() {
        return Map.copyOf(fullLists);
    }

    /** True once per run: the first time a list entry without updated_at is met (it is said once). */
    public boolean firstUndatedEntry() {
        return undatedSaid.compareAndSet(false, true);
    }

    /** claude.ai refused the session key or blocked us: nothing more is sent. */
    public void abort(ExitStatus status, String reason) {
        if (abortedWith == null) {
            abortReason = reason;
            abortedWith = status;
        }
        aborted.countDown();
    }

    /**
     * The process was asked to stop (SIGTERM, Ctrl-C): the run starts no new request, finishes the
     * ones in flight and ends as incomplete; what it did not fetch is not recorded, so the next run
     * fetches it. Has no effect on a run claude.ai already stopped.
     */
    public void stop(String reason) {
        if (abortedWith == null && stopReason == null) {
            stopReason = reason;
        }
        aborted.countDown();
    }

    public boolean isStopped() {
        return stopReason != null && abortedWith == null;
    }

    /** Nothing more is sent: claude.ai refused us, or the process is stopping. */
    public boolean isAborted() {
        return abortedWith != null || stopReason != null;
    }

    /** Waits up to {@code timeout}, or less when the run is stopped or refused meanwhile; true when it was. */
    public boolean awaitAbort(Duration timeout) throws InterruptedException {
        return aborted.await(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** Why the run ended early, or null. */
    public String abortReason() {
        return abortedWith != null ? abortReason : stopReason;
    }

    public List<Failure> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    public int total(Outcome outcome) {
        synchronized (counts) {
            return counts.values().stream().mapToInt(c -> c.getOrDefault(outcome, new AtomicInteger()).get()).sum();
        }
    }

    /** Counts per organization label, in the order the organizations were met. */
    public Map<String, Map<Outcome, Integer>> countsByOrganization() {
        Map<String, Map<Outcome, Integer>> copy = new LinkedHashMap<>();
        synchronized (counts) {
            counts.forEach((organization, byOutcome) -> {
                Map<Outcome, Integer> values = new LinkedHashMap<>();
                for (Outcome outcome : Outcome.values()) {
                    values.put(outcome, byOutcome.getOrDefault(outcome, new AtomicInteger()).get());
                }
                copy.put(organization, values);
            });
        }
        return copy;
    }

    /** 3 when claude.ai refused us; 1 when something failed or a stop cut the run short; else 0. */
    public ExitStatus exitStatus() {
        if (abortedWith != null) {
            return abortedWith;
        }
        return failures.isEmpty() && stopReason == null ? ExitStatus.OK : ExitStatus.SOME_FAILED;
    }

    /** The one summary line at the end of a run: the chats, then the projects where any were backed up. */
    public String summary() {
        String state = isStopped() ? "stopped" : exitStatus() == ExitStatus.OK ? "complete" : "incomplete";
        String chats = String.format(java.util.Locale.ROOT,
                "Backup %s: %d new, %d updated, %d renamed, %d unchanged, %d failed, %d deleted upstream%s in %s",
                state, total(Outcome.NEW), total(Outcome.UPDATED), total(Outcome.RENAMED), total(Outcome.UNCHANGED),
                total(Outcome.FAILED), total(Outcome.DELETED_UPSTREAM), filesSummary(), Console.duration(duration()));
        if (!hasProjects()) {
            return chats;
        }
        return chats + String.format(java.util.Locale.ROOT, "; projects: %d new, %d updated, %d renamed, %d unchanged, %d failed",
                projectTotal(Outcome.NEW), projectTotal(Outcome.UPDATED), projectTotal(Outcome.RENAMED),
                projectTotal(Outcome.UNCHANGED), projectTotal(Outcome.FAILED));
    }

    /** A size for people: {@code 512 B}, {@code 12.3 kB}, {@code 1.2 MB}, {@code 3.4 GB} (powers of 1000). */
    public static String bytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 999.95 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** ", files: 3 saved (1.2 MB), 1 unavailable, 0 failed", or nothing in a run that met no file. */
    public String filesSummary() {
        if (fileCounts.isEmpty()) {
            return "";
        }
        int skipped = files(FileOutcome.NOT_DOWNLOADABLE) + files(FileOutcome.TOO_LARGE);
        return String.format(java.util.Locale.ROOT, ", files: %d saved (%s), %d unavailable, %d failed%s",
                files(FileOutcome.SAVED), bytes(fileBytes()), files(FileOutcome.UNAVAILABLE), files(FileOutcome.FAILED),
                skipped == 0 ? "" : ", " + skipped + " skipped");
    }
}
