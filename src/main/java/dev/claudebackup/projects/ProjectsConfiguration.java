package dev.claudebackup.projects;

import java.time.Clock;
import java.time.Duration;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

import dev.claudebackup.api.ApiResponses;
import dev.claudebackup.api.RequestSlots;
import dev.claudebackup.report.Console;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.SavedChats;

/**
 * The beans routes/projects.camel.yaml calls, named as it calls them (camel.main.configuration-classes
 * lists this class).
 */
public class ProjectsConfiguration implements CamelConfiguration {

    @BindToRegistry
    public ProjectBackups projectBackups(
            @BeanInject("apiResponses") ApiResponses responses,
            @BeanInject("savedChats") SavedChats savedChats,
            @BeanInject("backupFolder") BackupFolder backup,
            @BeanInject("console") Console console,
            @BeanInject("requestSlots") RequestSlots requestSlots,
            @PropertyInject("claude.api.projects-path") String projectsPath,
            @PropertyInject("claude.api.project-path") String projectPath,
            @PropertyInject("claude.api.project-docs-path") String docsPath,
            @PropertyInject("claude.api.project-files-path") String filesPath,
            @PropertyInject("claude.api.memory-path") String memoryPath,
            @PropertyInject(value = "claude.api.project-memory-query", defaultValue = "") String projectMemoryQuery,
            @PropertyInject("claude.api.styles-path") String stylesPath,
            @PropertyInject(value = "backup.recheck-after-hours", defaultValue = "24") double recheckAfterHours,
            @PropertyInject(value = "backup.ignore-cache", defaultValue = "false") boolean ignoreCache) {
        ProjectPaths paths = new ProjectPaths(projectsPath, projectPath, docsPath, filesPath, memoryPath, projectMemoryQuery, stylesPath);
        Duration recheckAfter = Duration.ofMillis(Math.round(Math.max(0, recheckAfterHours) * 3_600_000));
        return new ProjectBackups(paths, responses, new SavedProjects(savedChats), backup, console, recheckAfter, ignoreCache,
                Clock.systemUTC(), requestSlots);
    }

    @BindToRegistry
    public ProjectFailures projectFailures(@BeanInject("console") Console console,
                                           @BeanInject("requestSlots") RequestSlots requestSlots) {
        return new ProjectFailures(console, requestSlots);
    }
}
