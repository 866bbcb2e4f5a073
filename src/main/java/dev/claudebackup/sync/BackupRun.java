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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run's outcome, shared by every exchange of the run (the routes keep it in the exchange property
 * {@code backupRun}): the counts, the failures, and whether claude.ai stopped the run.
 */
public final class BackupRun {

    public static final String PROPERTY = "backupRun";

    /** What happened to one chat in this run. */
    public enum Outcome { NEW, UPDATED, RENAMED, UNCHANGED, FAILED, DELETED_UPSTREAM }

    public record Failure(String organization, String uuid, String name, String reason) {
    }

    private final Instant startedAt = Instant.now();
    private volatile Instant finishedAt;
    private final Map<String, Map<Outcome, AtomicInteger>> counts = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> organizations = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> fullLists = new ConcurrentHashMap<>();
    private volatile ExitStatus abortedWith;
    private volatile String abortReason;

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public void finish() {
        finishedAt = Instant.now();
    }

    public Duration duration() {
        return Duration.between(startedAt, finishedAt == null ? Instant.now() : finishedAt);
    }

    public void record(String organization, Outcome outcome) {
        add(organization, outcome, 1);
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
        record(failure.organization() == null ? "" : failure.organization(), Outcome.FAILED);
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

    /** claude.ai refused the session key or blocked us: nothing more is sent. */
    public void abort(ExitStatus status, String reason) {
        if (abortedWith == null) {
            abortReason = reason;
            abortedWith = status;
        }
    }

    public boolean isAborted() {
        return abortedWith != null;
    }

    public String abortReason() {
        return abortReason;
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

    public ExitStatus exitStatus() {
        if (abortedWith != null) {
            return abortedWith;
        }
        return failures.isEmpty() ? ExitStatus.OK : ExitStatus.SOME_FAILED;
    }

    /** The one summary line at the end of a run. */
    public String summary() {
        Duration took = duration();
        return String.format("Backup %s: %d new, %d updated, %d renamed, %d unchanged, %d failed, %d deleted upstream in %d.%01ds",
                exitStatus() == ExitStatus.OK ? "complete" : "incomplete",
                total(Outcome.NEW), total(Outcome.UPDATED), total(Outcome.RENAMED), total(Outcome.UNCHANGED),
                total(Outcome.FAILED), total(Outcome.DELETED_UPSTREAM), took.toSeconds(), took.toMillisPart() / 100);
    }
}
