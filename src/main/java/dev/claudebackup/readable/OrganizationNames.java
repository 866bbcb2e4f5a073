package dev.claudebackup.readable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.claudebackup.store.ChatFileNamer;

/**
 * The organizations' names (from account.json) and their projects by uuid, read once and kept until
 * {@link #forget()} (a project saved, a run finished): the chats of a run share them.
 */
final class OrganizationNames {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ReadableFolder folder;
    private final Projects projects;
    private volatile Map<String, String> names;
    private final Map<String, Map<String, Projects.Project>> projectsByOrganization = new ConcurrentHashMap<>();

    OrganizationNames(ReadableFolder folder, Projects projects) {
        this.folder = folder;
        this.projects = projects;
    }

    void forget() {
        names = null;
        projectsByOrganization.clear();
    }

    /** The organization's name; its folder's name when account.json does not say. */
    String name(String orgSlug) {
        Map<String, String> known = names;
        if (known == null) {
            known = new ConcurrentHashMap<>();
            Path account = folder.backupRoot().resolve("account.json");
            if (Files.isRegularFile(account)) {
                try {
                    for (JsonNode membership : MAPPER.readTree(account.toFile()).path("memberships")) {
                        JsonNode organization = membership.path("organization");
                        String uuid = organization.path("uuid").asText("");
                        if (ChatFileNamer.isCanonicalUuid(uuid)) {
                            known.put(uuid, organization.path("name").asText(""));
                        }
                    }
                } catch (IOException e) {
                    // the folder names say it well enough
                }
            }
            names = known;
        }
        String uuid = ChatFileNamer.uuidOf(orgSlug).orElse("");
        String name = known.get(uuid);
        return name == null || name.isBlank() ? orgSlug : name;
    }

    /** The project with this uuid in the organization, or null. */
    Projects.Project project(String orgSlug, String projectUuid) {
        if (projectUuid == null || projectUuid.isEmpty()) {
            return null;
        }
        return projects(orgSlug).get(projectUuid.toLowerCase(java.util.Locale.ROOT));
    }

    Map<String, Projects.Project> projects(String orgSlug) {
        return projectsByOrganization.computeIfAbsent(orgSlug, slug -> {
            Map<String, Projects.Project> found = new ConcurrentHashMap<>();
            try {
                for (Path source : projects.sourceFolders(slug)) {
                    Projects.Project project = projects.describe(source);
                    if (project != null && !project.uuid().isEmpty()) {
                        found.put(project.uuid().toLowerCase(java.util.Locale.ROOT), project);
                    }
                }
            } catch (IOException e) {
                // no projects shown for it
            }
            return found;
        });
    }
}
