package dev.claudebackup.projects;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProjectPathsTest {

    private static final String ORG = "11111111-1111-4111-8111-111111111111";
    private static final String PROJECT = "22222222-2222-4222-8222-222222222222";

    @Test
    void theConfiguredPathsAreFilledIn() {
        ProjectPaths paths = new ProjectPaths("/api/organizations/{org}/projects", "/api/organizations/{org}/projects/{project}",
                "/api/organizations/{org}/projects/{project}/docs", "/api/organizations/{org}/projects/{project}/files",
                "/api/organizations/{org}/memory", "project_uuid={project}", "/api/organizations/{org}/list_styles");

        assertEquals("/api/organizations/" + ORG + "/projects", paths.projects(ORG));
        assertEquals("/api/organizations/" + ORG + "/projects/" + PROJECT, paths.project(ORG, PROJECT));
        assertEquals("/api/organizations/" + ORG + "/projects/" + PROJECT + "/docs", paths.docs(ORG, PROJECT));
        assertEquals("/api/organizations/" + ORG + "/projects/" + PROJECT + "/files", paths.files(ORG, PROJECT));
        assertEquals("/api/organizations/" + ORG + "/memory", paths.memory(ORG));
        assertEquals("/api/organizations/" + ORG + "/memory?project_uuid=" + PROJECT, paths.projectMemory(ORG, PROJECT));
        assertEquals("/api/organizations/" + ORG + "/list_styles", paths.styles(ORG));
    }

    @Test
    void aMemoryPathWithAQueryOfItsOwnGetsTheProjectAfterAnAmpersand() {
        ProjectPaths paths = new ProjectPaths("", "", "", "", "/api/organizations/{org}/memory?v=2", "project_uuid={project}", "");

        assertEquals("/api/organizations/" + ORG + "/memory?v=2&project_uuid=" + PROJECT, paths.projectMemory(ORG, PROJECT));
    }
}
