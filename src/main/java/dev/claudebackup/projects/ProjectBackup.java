package dev.claudebackup.projects;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One project's part of a run (exchange property {@value #PROPERTY}): what is fetched for it, the
 * answers as they came, and the files to write once every answer is in. {@code full}: new, or its
 * {@code updated_at} or name moved, so the project itself is fetched too; else only a recheck of the
 * parts that have no change marker (docs, files list, memory).
 */
public final class ProjectBackup {

    public static final String PROPERTY = "projectBackup";

    /** A file to write: its path relative to the backup folder, and its bytes. */
    public record PendingFile(String path, byte[] bytes) {
    }

    private final ProjectRef project;
    private final String organizationFolder;
    private final boolean full;
    private final Optional<String> existingFolder;
    private final Map<ProjectPart, byte[]> answers = new EnumMap<>(ProjectPart.class);
    private final Set<ProjectPart> absent = EnumSet.noneOf(ProjectPart.class);
    private final List<PendingFile> pending = new ArrayList<>();
    private String replacedFolder;

    /**
     * @param existingFolder the project's folder found before this run (relative to the backup folder), if any
     */
    public ProjectBackup(ProjectRef project, String organizationFolder, boolean full, Optional<String> existingFolder) {
        this.project = project;
        this.organizationFolder = organizationFolder;
        this.full = full;
        this.existingFolder = existingFolder;
    }

    public ProjectRef project() {
        return project;
    }

    public boolean isFull() {
        return full;
    }

    /** The folder the project is saved in from now on, relative to the backup folder. */
    public String folder() {
        return organizationFolder + "/" + ProjectBackups.PROJECTS_FOLDER + "/" + project.folderName();
    }

    public Optional<String> existingFolder() {
        return existingFolder;
    }

    /** The old folder of a renamed project whose new name was another folder already: deleted once all is written. */
    public synchronized Optional<String> replacedFolder() {
        return Optional.ofNullable(replacedFolder);
    }

    synchronized void replaces(String folder) {
        replacedFolder = folder;
    }

    public synchronized void answered(ProjectPart part, byte[] body) {
        answers.put(part, body);
    }

    public synchronized void featureOff(ProjectPart part) {
        absent.add(part);
    }

    public synchronized Map<ProjectPart, byte[]> answers() {
        return Map.copyOf(answers);
    }

    public synchronized Set<ProjectPart> absent() {
        return Set.copyOf(absent);
    }

    /** The parts that answered 404, as the state keeps them. */
    public synchronized String absentText() {
        return String.join(",", absent.stream().map(Enum::name).sorted().toList());
    }

    public synchronized List<PendingFile> pending() {
        return List.copyOf(pending);
    }

    synchronized void pend(PendingFile file) {
        pending.add(file);
    }

    /** The loop's count in the route. */
    public synchronized int pendingCount() {
        return pending.size();
    }
}
