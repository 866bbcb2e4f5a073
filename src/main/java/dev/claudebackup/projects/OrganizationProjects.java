package dev.claudebackup.projects;

import java.util.List;

import dev.claudebackup.sync.Organization;

/**
 * One organization's projects in a run (exchange property {@value #PROPERTY}): its folder (relative to
 * the backup folder) and the projects its list named, once it was read.
 */
public final class OrganizationProjects {

    public static final String PROPERTY = "organizationProjects";

    private final Organization organization;
    private final String folder;
    private volatile List<ProjectRef> listed;

    public OrganizationProjects(Organization organization, String folder) {
        this.organization = organization;
        this.folder = folder;
    }

    public Organization organization() {
        return organization;
    }

    public String folder() {
        return folder;
    }

    /** The projects the list named; null until it was read whole. */
    public List<ProjectRef> listed() {
        return listed;
    }

    void listed(List<ProjectRef> projects) {
        this.listed = List.copyOf(projects);
    }
}
