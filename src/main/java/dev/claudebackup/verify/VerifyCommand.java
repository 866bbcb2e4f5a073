package dev.claudebackup.verify;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.claudebackup.cli.BackupDirOption;
import dev.claudebackup.cli.OfflineCommand;
import dev.claudebackup.report.Console;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.DamagedStateException;
import dev.claudebackup.store.RunLock;
import dev.claudebackup.store.SavedChats;

/**
 * {@code verify [--dir BACKUP_DIR] [--repair] [--json]}: is the backup whole? No network, no session key.
 * Each problem is one line on stdout (or one entry of the JSON), then a summary. Exit 0 whole, 1
 * problems found (repaired or not), 2 bad usage.
 */
@Command(name = "verify", usageHelpAutoWidth = true, mixinStandardHelpOptions = false,
        description = {"Checks a backup on disk: every chat, project and file the state records is there, whole, and as it was saved;"
                + " no file the state does not know, no left-over temporary file, nothing others may read.", ""},
        footer = {"", "Exit status: 0 the backup is whole, 1 problems were found (also after --repair: the next backup"
                + " run fetches what was set aside), 2 bad usage."})
public final class VerifyCommand implements OfflineCommand {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    BackupDirOption backupDir;

    @Option(names = "--repair", description = "Move damaged chat, project and saved files into .claude-backup/damaged/ and forget their records,"
            + " so that the next backup run fetches exactly those again; remove left-over temporary files; make modes private."
            + " Nothing a person saved is deleted.")
    boolean repair;

    @Option(names = "--json", description = "Print the findings as one JSON document.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public int run(Map<String, String> environment, Console console) throws Exception {
        BackupFolder backup = new BackupFolder(backupDir.existingBackup(environment));
        PrintStream out = System.out;
        RunLock lock = null;
        if (Files.isDirectory(backup.stateFolder())) {
            try {
                lock = RunLock.acquire(backup.stateFolder());
            } catch (RunLock.AlreadyRunningException running) {
                console.error(running.getMessage());
                return 2;
            }
        }
        try {
            return verify(backup, console, out);
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }

    private int verify(BackupFolder backup, Console console, PrintStream out) throws IOException {
        Path database = backup.stateFolder().resolve(SavedChats.FILE_NAME);
        SavedChats savedChats = null;
        SavedChats damaged = null;
        Problem stateProblem = null;
        String stateFile = backup.relativize(database);
        if (!Files.isRegularFile(database)) {
            stateProblem = new Problem("state", Problem.Kind.STATE, stateFile, null, null,
                    "there is no state; the next backup run adopts the chat files it finds", Problem.Repair.NONE, null);
        } else {
            SavedChats opened = new SavedChats(backup, false);
            try {
                opened.open();
                savedChats = opened;
            } catch (SavedChats.NewerFormatException newer) {
                console.error(newer.getMessage());
                return 2;
            } catch (DamagedStateException e) {
                damaged = opened;
                stateProblem = new Problem("state", Problem.Kind.STATE, stateFile, null, null, e.getMessage()
                        .replace("The backup state " + database + " is damaged", "damaged"), Problem.Repair.SET_ASIDE_STATE, null);
            }
        }
        try {
            Verification verification = new Verification(backup, savedChats);
            if (stateProblem != null) {
                verification.problem(stateProblem);
            }
            verification.runChecks();
            if (repair) {
                verification.repair();
                if (damaged != null) {
                    Path aside = damaged.setAsideDamaged();
                    stateProblem.repaired("moved to " + backup.relativize(aside) + "; the next backup run rebuilds it from the chat files");
                }
            }
            print(verification, backup, out);
            return verification.problems().isEmpty() ? 0 : 1;
        } finally {
            if (savedChats != null) {
                savedChats.close();
            }
        }
    }

    private void print(Verification verification, BackupFolder backup, PrintStream out) throws IOException {
        int problems = verification.problems().size();
        // what the next run fetches again: each record repaired once, by kind ("3 chats, 1 file")
        Map<String, Long> toFetch = new TreeMap<>(verification.problems().stream()
                .filter(p -> p.repaired() != null && p.uuid() != null)
                .map(p -> p.subject() + " " + p.uuid()).distinct()
                .collect(Collectors.groupingBy(subjectAndUuid -> subjectAndUuid.substring(0, subjectAndUuid.indexOf(' ')),
                        Collectors.counting())));
        String fetched = String.join(", ", toFetch.entrySet().stream()
                .map(entry -> entry.getValue() + " " + entry.getKey() + (entry.getValue() == 1 ? "" : "s")).toList());
        // chats always; projects and files where the backup has some
        String checked = String.join(", ", new TreeMap<>(verification.checked()).entrySet().stream()
                .filter(entry -> entry.getKey().equals("chats") || entry.getValue() > 0)
                .map(entry -> entry.getValue() + " " + (entry.getValue() == 1 ? entry.getKey().replaceAll("s$", "") : entry.getKey()))
                .toList());
        String summary = problems == 0 ? "Checked " + checked + " in " + backup.root() + ": the backup is whole."
                : "Checked " + checked + " in " + backup.root() + ": " + problems + (problems == 1 ? " problem" : " problems")
                        + (repair ? "; repaired" + (!toFetch.isEmpty() ? ": the next backup run fetches " + fetched + " again"
                                : " what could be") + "."
                                : ". Run verify --repair to set damaged files aside, so that the next backup run fetches them again.");
        if (json) {
            ObjectNode report = MAPPER.createObjectNode();
            report.put("backup", backup.root().toString());
            report.put("whole", problems == 0);
            report.put("repair", repair);
            ObjectNode counts = report.putObject("checked");
            new TreeMap<>(verification.checked()).forEach(counts::put);
            ArrayNode list = report.putArray("problems");
            verification.problems().forEach(problem -> problem.writeTo(list.addObject()));
            report.put("summary", summary);
            out.println(MAPPER.writeValueAsString(report));
        } else {
            verification.problems().forEach(problem -> out.println(problem.line()));
            out.println(summary);
        }
        out.flush();
    }
}
