package dev.claudebackup.projects;

/**
 * What is fetched for a project, or for its organization beside the projects: the file it is saved in,
 * what its answer must be (the {@code apiExpect} of CONTRACTS.md point 1), and whether a 404 means only
 * that the feature is off there (recorded, not a failure, not retried).
 */
public enum ProjectPart {
    PROJECT("project.json", "project", false, "the project"),
    DOCS("docs.json", "list", false, "the knowledge docs"),
    FILES("files.json", "list", true, "the files list"),
    MEMORY("memory.json", "object", true, "the memory"),
    ORGANIZATION_MEMORY("memory.json", "object", true, "the memory"),
    STYLES("styles.json", "object", true, "the styles");

    private final String fileName;
    private final String expect;
    private final boolean optional;
    private final String description;

    ProjectPart(String fileName, String expect, boolean optional, String description) {
        this.fileName = fileName;
        this.expect = expect;
        this.optional = optional;
        this.description = description;
    }

    public String fileName() {
        return fileName;
    }

    public String expect() {
        return expect;
    }

    /** A 404 means the feature is off there. */
    public boolean optional() {
        return optional;
    }

    public String description() {
        return description;
    }

    /** The organization's own, beside its projects. */
    public boolean ofOrganization() {
        return this == ORGANIZATION_MEMORY || this == STYLES;
    }
}
