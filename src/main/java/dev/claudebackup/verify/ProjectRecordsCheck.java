package dev.claudebackup.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.claudebackup.projects.ProjectBackups;
import dev.claudebackup.projects.ProjectPart;
import dev.claudebackup.projects.SavedProjects;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.SavedChats;

/**
 * Every project the projects' part of the state records: its folder and project.json are there,
 * project.json is one whole JSON object holding the recorded uuid (and the recorded {@code updated_at}
 * where it has one), and its docs.json, files.json and memory.json are whole JSON where present (a part
 * that answered 404 has no file). A damaged file is set aside and the project forgotten: the next run
 * fetches it whole again; the project's good files stay where they are meanwhile.
 */
final class ProjectRecordsCheck implements Check {

    private static final List<ProjectPart> OTHER_PARTS = List.of(ProjectPart.DOCS, ProjectPart.FILES, ProjectPart.MEMORY);

    @Override
    public String counted() {
        return "projects";
    }

    @Override
    public int run(Verification verification) throws IOException {
        SavedChats state = verification.savedChats();
        if (state == null) {
            return 0;
        }
        SavedProjects projects = new SavedProjects(state);
        List<SavedProjects.Saved> saved = projects.all();
        for (SavedProjects.Saved project : saved) {
            Runnable forget = () -> projects.forget(project.uuid());
            Optional<String> organizationFolder = state.folderOf(project.organization());
            if (organizationFolder.isEmpty()) {
                verification.problem(problem(project, Problem.Kind.NOT_AS_RECORDED, BackupFolder.ORGANIZATIONS,
                        "the state knows no folder of its organization " + project.organization(), Problem.Repair.FORGET, forget));
                continue;
            }
            String folder = organizationFolder.get() + "/" + ProjectBackups.PROJECTS_FOLDER + "/" + project.folder();
            String projectJson = folder + "/" + ProjectPart.PROJECT.fileName();
            Path folderPath;
            try {
                folderPath = verification.backup().resolve(folder);
            } catch (IllegalArgumentException outside) {
                verification.problem(problem(project, Problem.Kind.NOT_AS_RECORDED, folder, "the state names a path outside the backup",
                        Problem.Repair.FORGET, forget));
                continue;
            }
            for (ProjectPart part : OTHER_PARTS) {
                verification.known(folder + "/" + part.fileName());
            }
            verification.known(projectJson);
            if (!Files.isDirectory(folderPath)) {
                verification.problem(problem(project, Problem.Kind.MISSING, folder, "the project's folder is missing",
                        Problem.Repair.FORGET, forget));
                continue;
            }
            Path file = folderPath.resolve(ProjectPart.PROJECT.fileName());
            if (!Files.isRegularFile(file)) {
                verification.problem(problem(project, Problem.Kind.MISSING, projectJson, "the file is missing", Problem.Repair.FORGET, forget));
            } else {
                SavedJson json = SavedJson.read(file, Set.of("uuid", "updated_at"));
                String uuid = json.fields().getOrDefault("uuid", "");
                String updatedAt = json.fields().get("updated_at");
                if (!json.whole()) {
                    verification.problem(problem(project, Problem.Kind.UNREADABLE, projectJson, "cut short or not JSON (" + json.problem() + ")",
                            Problem.Repair.SET_ASIDE, forget));
                } else if (!project.uuid().equalsIgnoreCase(uuid)) {
                    verification.problem(problem(project, Problem.Kind.NOT_AS_RECORDED, projectJson,
                            "holds another project (uuid " + (uuid.isEmpty() ? "none" : uuid) + ")", Problem.Repair.SET_ASIDE, forget));
                } else if (updatedAt != null && project.updatedAt() != null && !ChatRecordsCheck.sameMoment(project.updatedAt(), updatedAt)) {
                    verification.problem(problem(project, Problem.Kind.NOT_AS_RECORDED, projectJson, "holds another version (updated_at "
                            + updatedAt + ", the state says " + project.updatedAt() + ")", Problem.Repair.SET_ASIDE, forget));
                }
            }
            for (ProjectPart part : OTHER_PARTS) {
                Path other = folderPath.resolve(part.fileName());
                if (Files.isRegularFile(other)) {
                    SavedJson json = SavedJson.readAny(other);
                    if (!json.whole()) {
                        verification.problem(problem(project, Problem.Kind.UNREADABLE, folder + "/" + part.fileName(),
                                "cut short or not JSON (" + json.problem() + ")", Problem.Repair.SET_ASIDE, forget));
                    }
                }
            }
        }
        return saved.size();
    }

    private static Problem problem(SavedProjects.Saved project, Problem.Kind kind, String path, String detail, Problem.Repair repair,
                                   Runnable forget) {
        return new Problem("project", kind, path, project.uuid(), project.name(), detail, repair, forget);
    }
}
