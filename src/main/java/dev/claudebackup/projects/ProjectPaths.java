package dev.claudebackup.projects;

/**
 * The paths of the projects' part of claude.ai's unofficial API (claude.api.* properties), so a user can
 * follow an API change without a new release. {@code {org}} and {@code {project}} are filled in here; the
 * uuids were checked to be canonical before they get this far.
 */
public final class ProjectPaths {

    private final String projects;
    private final String project;
    private final String docs;
    private final String files;
    private final String memory;
    private final String projectMemoryQuery;
    private final String styles;

    public ProjectPaths(String projects, String project, String docs, String files, String memory,
                        String projectMemoryQuery, String styles) {
        this.projects = projects;
        this.project = project;
        this.docs = docs;
        this.files = files;
        this.memory = memory;
        this.projectMemoryQuery = projectMemoryQuery;
        this.styles = styles;
    }

    public String projects(String organization) {
        return projects.replace("{org}", organization);
    }

    public String project(String organization, String projectUuid) {
        return fill(project, organization, projectUuid);
    }

    public String docs(String organization, String projectUuid) {
        return fill(docs, organization, projectUuid);
    }

    public String files(String organization, String projectUuid) {
        return fill(files, organization, projectUuid);
    }

    public String memory(String organization) {
        return memory.replace("{org}", organization);
    }

    /** The organization's memory path, asked for one project. */
    public String projectMemory(String organization, String projectUuid) {
        String query = projectMemoryQuery.replace("{project}", projectUuid);
        return memory(organization) + (query.isEmpty() ? "" : (memory.contains("?") ? "&" : "?") + query);
    }

    public String styles(String organization) {
        return styles.replace("{org}", organization);
    }

    private static String fill(String path, String organization, String projectUuid) {
        return path.replace("{org}", organization).replace("{project}", projectUuid);
    }
}
