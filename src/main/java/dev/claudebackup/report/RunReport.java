package dev.claudebackup.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.claudebackup.store.PrivateFiles;
import dev.claudebackup.sync.BackupRun;

/**
 * {@code .claude-backup/last-run.json}: what monitoring reads after each run, a failed one too. Written
 * to a temporary file and renamed, so a reader never sees half of it. Never holds the session key.
 */
public final class RunReport {

    public static final String FILE_NAME = "last-run.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path stateFolder;
    private final Map<String, String> options;

    /**
     * @param options the options in force, as shown to the user. The session key is no property, but a
     *                --config file could hold anything: a name or value that looks secret is left out.
     */
    public RunReport(Path stateFolder, Map<String, String> options) {
        this.stateFolder = stateFolder;
        this.options = new java.util.TreeMap<>();
        options.forEach((key, value) -> {
            if (!looksSecret(key, value)) {
                this.options.put(key, value);
            }
        });
    }

    private static boolean looksSecret(String key, String value) {
        String name = key.toLowerCase(java.util.Locale.ROOT);
        return name.contains("key") || name.contains("secret") || name.contains("token") || name.contains("password")
                || name.contains("cookie") || value.contains("sk-ant-");
    }

    public ObjectNode toJson(BackupRun run) {
        ObjectNode report = MAPPER.createObjectNode();
        report.put("started_at", run.startedAt().toString());
        report.put("finished_at", run.finishedAt() == null ? null : run.finishedAt().toString());
        report.put("duration_seconds", run.duration().toMillis() / 1000.0);
        report.put("exit_status", run.exitStatus().code());
        report.put("status", run.exitStatus().name().toLowerCase(java.util.Locale.ROOT));
        if (run.abortReason() != null) {
            report.put("stopped_because", run.abortReason());
        }
        ObjectNode optionsNode = report.putObject("options");
        options.forEach(optionsNode::put);
        ObjectNode totals = report.putObject("totals");
        for (BackupRun.Outcome outcome : BackupRun.Outcome.values()) {
            totals.put(outcome.name().toLowerCase(java.util.Locale.ROOT), run.total(outcome));
        }
        ObjectNode organizations = report.putObject("organizations");
        run.countsByOrganization().forEach((organization, counts) -> {
            ObjectNode node = organizations.putObject(organization);
            counts.forEach((outcome, count) -> node.put(outcome.name().toLowerCase(java.util.Locale.ROOT), count));
        });
        report.set("files", files(run));
        if (run.hasProjects()) {
            // beside the chats' counts above: what happened to the projects (issue 11)
            ObjectNode projects = report.putObject("projects");
            ObjectNode projectTotals = projects.putObject("totals");
            for (BackupRun.Outcome outcome : BackupRun.Outcome.values()) {
                projectTotals.put(outcome.name().toLowerCase(java.util.Locale.ROOT), run.projectTotal(outcome));
            }
            ObjectNode byOrganization = projects.putObject("organizations");
            run.projectCountsByOrganization().forEach((organization, counts) -> {
                ObjectNode node = byOrganization.putObject(organization);
                counts.forEach((outcome, count) -> node.put(outcome.name().toLowerCase(java.util.Locale.ROOT), count));
            });
        }
        ArrayNode failures = report.putArray("failures");
        for (BackupRun.Failure failure : run.failures()) {
            ObjectNode node = failures.addObject();
            node.put("organization", failure.organization());
            node.put("uuid", failure.uuid());
            node.put("name", failure.name());
            node.put("reason", failure.reason());
        }
        return report;
    }

    /**
     * The files of chats and projects: the counts and bytes of this run, and each file not saved, under
     * the chat or project that names it, with the reason.
     */
    private static ObjectNode files(BackupRun run) {
        ObjectNode files = MAPPER.createObjectNode();
        for (BackupRun.FileOutcome outcome : BackupRun.FileOutcome.values()) {
            files.put(outcome.name().toLowerCase(java.util.Locale.ROOT), run.files(outcome));
        }
        files.put("bytes", run.fileBytes());
        Map<String, ObjectNode> owners = new java.util.LinkedHashMap<>();
        ArrayNode notSaved = files.putArray("not_saved");
        for (BackupRun.FileNote note : run.fileNotes()) {
            ObjectNode owner = owners.computeIfAbsent(note.ownerKind() + " " + note.ownerUuid(), key -> {
                ObjectNode node = notSaved.addObject();
                node.put("organization", note.organization());
                node.put(note.ownerKind(), note.ownerUuid());
                node.put("name", note.ownerName());
                node.putArray("files");
                return node;
            });
            ObjectNode file = ((ArrayNode) owner.get("files")).addObject();
            file.put("file_uuid", note.fileUuid());
            file.put("file_name", note.fileName());
            file.put("status", note.outcome().name().toLowerCase(java.util.Locale.ROOT));
            file.put("reason", note.reason());
        }
        return files;
    }

    public void write(BackupRun run) throws IOException {
        Path temp = Files.createTempFile(stateFolder, ".part-", ".json");
        try {
            PrivateFiles.restrict(temp);
            MAPPER.writeValue(temp.toFile(), toJson(run));
            Files.move(temp, stateFolder.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
