package dev.claudebackup.projects;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.claudebackup.store.SavedChats;

/**
 * The projects' part of the state, in its own tables of state.db (through {@link SavedChats#inState}):
 * each project saved, in which folder, at which {@code updated_at}, and when its docs, files list and
 * memory were last fetched; and when each organization's memory and styles were. A project's row is
 * written only once all its files are in place, so a project that failed is fetched again next run.
 * Nothing here touches the chats' tables: a failure on one side never makes the other fetch more.
 */
public final class SavedProjects {

    /** A project as last saved. {@code folder} is its folder name under the organization's projects/. */
    public record Saved(String uuid, String organization, String folder, String name, String updatedAt,
                        Instant checkedAt, String absent) {
    }

    private final SavedChats state;
    private volatile boolean tablesMade;

    public SavedProjects(SavedChats state) {
        this.state = state;
    }

    public Optional<Saved> find(String uuid) {
        return state.inState(connection -> {
            tables(connection);
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT uuid, organization, folder, name, updated_at, checked_at, absent FROM projects WHERE uuid = ?")) {
                statement.setString(1, uuid);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(saved(rows)) : Optional.<Saved>empty();
                }
            }
        });
    }

    public List<Saved> ofOrganization(String organization) {
        return state.inState(connection -> {
            tables(connection);
            List<Saved> found = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT uuid, organization, folder, name, updated_at, checked_at, absent FROM projects WHERE organization = ?")) {
                statement.setString(1, organization);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        found.add(saved(rows));
                    }
                }
            }
            return found;
        });
    }

    /** Every project saved, for {@code verify}. */
    public List<Saved> all() {
        return state.inState(connection -> {
            tables(connection);
            List<Saved> found = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(
                         "SELECT uuid, organization, folder, name, updated_at, checked_at, absent FROM projects ORDER BY organization, folder")) {
                while (rows.next()) {
                    found.add(saved(rows));
                }
            }
            return found;
        });
    }

    public void record(Saved project) {
        state.inState(connection -> {
            tables(connection);
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO projects (uuid, organization, folder, name, updated_at, checked_at, absent) VALUES (?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT(uuid) DO UPDATE SET organization = excluded.organization, folder = excluded.folder,"
                            + " name = excluded.name, updated_at = excluded.updated_at, checked_at = excluded.checked_at,"
                            + " absent = excluded.absent")) {
                statement.setString(1, project.uuid());
                statement.setString(2, project.organization());
                statement.setString(3, project.folder());
                statement.setString(4, project.name());
                statement.setString(5, project.updatedAt());
                statement.setString(6, project.checkedAt().toString());
                statement.setString(7, project.absent());
                return statement.executeUpdate();
            }
        });
    }

    /** Forgets the project: the next run fetches it whole again (also what {@code verify --repair} does to a damaged one). */
    public void forget(String uuid) {
        state.inState(connection -> {
            tables(connection);
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM projects WHERE uuid = ?")) {
                statement.setString(1, uuid);
                return statement.executeUpdate();
            }
        });
    }

    /** When the organization's part (memory, styles) was last fetched, if ever. */
    public Optional<Instant> checkedAt(String organization, ProjectPart part) {
        return state.inState(connection -> {
            tables(connection);
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT checked_at FROM project_organization_parts WHERE organization = ? AND part = ?")) {
                statement.setString(1, organization);
                statement.setString(2, part.name());
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(Instant.parse(rows.getString(1))) : Optional.<Instant>empty();
                }
            }
        });
    }

    /** The organization's part was fetched at this moment; {@code absent}: it answered 404 (the feature is off). */
    public void checked(String organization, ProjectPart part, Instant at, boolean absent) {
        state.inState(connection -> {
            tables(connection);
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO project_organization_parts (organization, part, checked_at, absent) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT(organization, part) DO UPDATE SET checked_at = excluded.checked_at, absent = excluded.absent")) {
                statement.setString(1, organization);
                statement.setString(2, part.name());
                statement.setString(3, at.toString());
                statement.setInt(4, absent ? 1 : 0);
                return statement.executeUpdate();
            }
        });
    }

    private static Saved saved(ResultSet rows) throws SQLException {
        return new Saved(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                Instant.parse(rows.getString(6)), rows.getString(7));
    }

    /** The tables are this class's own: created when first used, so a state without projects needs no new format version. */
    private void tables(Connection connection) throws SQLException {
        if (tablesMade) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS projects (uuid TEXT PRIMARY KEY, organization TEXT NOT NULL,"
                    + " folder TEXT NOT NULL, name TEXT, updated_at TEXT NOT NULL,"
                    // when the docs, files list and memory were last fetched; which of them answered 404 (comma-separated)
                    + " checked_at TEXT NOT NULL, absent TEXT NOT NULL DEFAULT '')");
            statement.execute("CREATE INDEX IF NOT EXISTS projects_by_organization ON projects (organization)");
            statement.execute("CREATE TABLE IF NOT EXISTS project_organization_parts (organization TEXT NOT NULL,"
                    + " part TEXT NOT NULL, checked_at TEXT NOT NULL, absent INTEGER NOT NULL DEFAULT 0,"
                    + " PRIMARY KEY (organization, part))");
        }
        tablesMade = true;
    }
}
