package dev.claudebackup.extras;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Body;

/**
 * The email about a finished run, made from its report (the run-finished event's body, as
 * .claude-backup/last-run.json): a subject that tells at a glance whether it worked, and a short
 * plain-text body with the counts, the failures by name, the duration and the exit status.
 */
public final class RunSummaryMail {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The report's totals, in the order the summary line gives them, with the words it uses. */
    private static final String[][] TOTALS = {{"new", "new"}, {"updated", "updated"}, {"renamed", "renamed"},
            {"unchanged", "unchanged"}, {"failed", "failed"}, {"deleted_upstream", "deleted on claude.ai"}};

    public String subject(@Body String report) throws IOException {
        JsonNode run = MAPPER.readTree(report);
        JsonNode totals = run.path("totals");
        return switch (run.path("exit_status").asInt(-1)) {
            case 0 -> "claude-backup: backup complete, " + totals.path("new").asInt() + " new, "
                    + totals.path("updated").asInt() + " updated";
            case 1 -> "claude-backup: backup incomplete, " + totals.path("failed").asInt() + " failed";
            default -> "claude-backup: backup stopped (exit status " + run.path("exit_status").asText() + ")";
        };
    }

    public String text(@Body String report) throws IOException {
        JsonNode run = MAPPER.readTree(report);
        StringBuilder text = new StringBuilder();
        int exitStatus = run.path("exit_status").asInt(-1);
        text.append("The backup of ").append(run.path("options").path("backup.dir").asText("(unknown folder)"))
                .append(" finished with exit status ").append(exitStatus).append(": ").append(meaning(exitStatus)).append(".\n");
        if (run.hasNonNull("stopped_because")) {
            text.append("Stopped because: ").append(run.path("stopped_because").asText()).append('\n');
        }
        text.append('\n')
                .append("Started:  ").append(run.path("started_at").asText()).append('\n')
                .append("Finished: ").append(run.path("finished_at").asText()).append('\n')
                .append("Duration: ").append(String.format(Locale.ROOT, "%.1f s", run.path("duration_seconds").asDouble())).append('\n')
                .append('\n')
                .append("Chats: ").append(counts(run.path("totals"))).append('\n');
        if (run.path("organizations").size() > 0) {
            text.append('\n').append("By organization:\n");
            run.path("organizations").fields().forEachRemaining(organization -> text.append("  ")
                    .append(organization.getKey().isEmpty() ? "(the account)" : organization.getKey()).append(": ")
                    .append(counts(organization.getValue())).append('\n'));
        }
        JsonNode failures = run.path("failures");
        if (failures.size() > 0) {
            text.append('\n').append("Failures (").append(failures.size()).append("):\n");
            for (JsonNode failure : failures) {
                text.append("  - ").append(failureLine(failure)).append('\n');
            }
        }
        return text.toString();
    }

    private static String meaning(int exitStatus) {
        return switch (exitStatus) {
            case 0 -> "every chat saved";
            case 1 -> "some chats or files could not be saved or copied; the next run tries them again";
            case 3 -> "claude.ai refused the session key or blocked the request";
            default -> "see the log";
        };
    }

    private static String counts(JsonNode counts) {
        StringBuilder line = new StringBuilder();
        for (String[] total : TOTALS) {
            line.append(line.length() == 0 ? "" : ", ").append(counts.path(total[0]).asInt()).append(' ').append(total[1]);
        }
        return line.toString();
    }

    /** "Personal (uuid): chat "Name" (uuid): reason", leaving out what the failure does not have. */
    private static String failureLine(JsonNode failure) {
        StringBuilder line = new StringBuilder();
        if (failure.hasNonNull("organization") && !failure.path("organization").asText().isEmpty()) {
            line.append(failure.path("organization").asText()).append(": ");
        }
        if (failure.hasNonNull("uuid")) {
            line.append("chat \"").append(oneLine(failure.path("name").asText())).append("\" (")
                    .append(failure.path("uuid").asText()).append("): ");
        } else if (failure.hasNonNull("name") && !failure.path("name").asText().isEmpty()) {
            line.append(oneLine(failure.path("name").asText())).append(": ");
        }
        return line.append(oneLine(failure.path("reason").asText())).toString();
    }

    /** A chat's name may hold a newline or a tab: keep one failure per line. */
    private static String oneLine(String text) {
        return text.replaceAll("\\p{Cntrl}", " ");
    }
}
