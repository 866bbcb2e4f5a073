package dev.claudebackup.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One thing found wrong: what (a chat, a file), where, and how {@code --repair} mends it. The record's
 * own forgetting (so that the next run fetches it again) comes from the check that knows its table.
 */
public final class Problem {

    /** What is wrong. */
    public enum Kind {
        /** The state records it, its file is not there. */
        MISSING,
        /** Not one whole JSON object: cut short, or garbage. */
        UNREADABLE,
        /** A whole JSON object, but not of the record: another uuid or another {@code updated_at}. */
        NOT_AS_RECORDED,
        /** Its bytes are not the ones saved: the sha-256 differs. */
        CHANGED,
        /** A file in the backup's layout that the state does not know. */
        UNKNOWN,
        /** A temporary file a killed run left behind. */
        TEMPORARY,
        /** Readable by others: a folder not 0700, or a file not 0600. */
        MODE,
        /** The state database is missing, not a database, or corrupt. */
        STATE
    }

    /** What {@code --repair} does about it. */
    public enum Repair {
        /** The file goes to .claude-backup/damaged/, its record is forgotten: the next run fetches it again. */
        SET_ASIDE,
        /** The record is forgotten: the next run fetches it again. */
        FORGET,
        /** Deleted: a temporary file holds nothing a person saved. */
        REMOVE,
        /** Made private: 0700 or 0600. */
        RESTRICT,
        /** The damaged state is moved aside; the next run rebuilds it from the files. */
        SET_ASIDE_STATE,
        /** Left as it is, only said. */
        NONE
    }

    private final String subject;
    private final Kind kind;
    private final String path;
    private final String uuid;
    private final String name;
    private final String detail;
    private final Repair repair;
    private final Runnable forgetRecord;
    private volatile String repaired;

    /**
     * @param subject      what it is, for people: "chat", "project", "file"
     * @param path         relative to the backup folder
     * @param forgetRecord forgets the record (for SET_ASIDE and FORGET), so the next run fetches it again
     */
    public Problem(String subject, Kind kind, String path, String uuid, String name, String detail, Repair repair,
                   Runnable forgetRecord) {
        this.subject = subject;
        this.kind = kind;
        this.path = path;
        this.uuid = uuid;
        this.name = name;
        this.detail = detail;
        this.repair = repair;
        this.forgetRecord = forgetRecord == null ? () -> { } : forgetRecord;
    }

    /** A problem with a file of no record (a temporary file, a mode, an unknown file). */
    public static Problem ofFile(Kind kind, String path, String detail, Repair repair) {
        return new Problem("file", kind, path, null, null, detail, repair, null);
    }

    /** "chat", "project", "file", "state". */
    public String subject() {
        return subject;
    }

    public Kind kind() {
        return kind;
    }

    public String path() {
        return path;
    }

    public String uuid() {
        return uuid;
    }

    public Repair repair() {
        return repair;
    }

    void forgetRecord() {
        forgetRecord.run();
    }

    /** What --repair did, or null. */
    public String repaired() {
        return repaired;
    }

    void repaired(String what) {
        repaired = what;
    }

    /** One line: the subject with its name and uuid, the path, what is wrong. */
    public String line() {
        StringBuilder line = new StringBuilder();
        if (uuid != null && name == null && subject.equals("file")) {
            line.append(subject).append(" (").append(uuid).append("): "); // a saved file's name is in its path
        } else if (uuid != null) {
            line.append(subject).append(' ').append(name == null || name.isBlank() ? "(no name)" : name)
                    .append(" (").append(uuid).append("): ");
        }
        line.append(path).append(": ").append(detail);
        if (repaired != null) {
            line.append(" - ").append(repaired);
        }
        // names and paths come from claude.ai (or were planted): no escape reaches the terminal
        return dev.claudebackup.report.Console.printable(line.toString());
    }

    void writeTo(ObjectNode json) {
        json.put("problem", kind.name().toLowerCase(java.util.Locale.ROOT));
        json.put("subject", subject);
        json.put("path", path);
        json.put("uuid", uuid);
        json.put("name", name);
        json.put("detail", detail);
        json.put("repaired", repaired);
    }
}
