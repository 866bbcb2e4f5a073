package dev.claudebackup.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.claudebackup.store.BackupFolder;

/**
 * Searches the index: best entry first (FTS5's bm25 rank), one hit per chat, project or memory (its best
 * entry), with a snippet of that entry.
 */
public final class IndexSearch {

    private static final String CHAT_URL = "https://claude.ai/chat/";
    private static final String PROJECT_URL = "https://claude.ai/project/";
    /** Where claude.ai shows an organization's memory. */
    static final String MEMORY_URL = "https://claude.ai/settings/capabilities";
    private static final int SNIPPET_TOKENS = 16;

    private final SearchIndex index;
    private final Path readable;

    /** @param readable the readable copy's folder, where a hit's page is looked for */
    public IndexSearch(SearchIndex index, Path readable) {
        this.index = index;
        this.readable = readable;
    }

    public static IndexSearch of(BackupFolder backup, SearchIndex index) {
        return new IndexSearch(index, backup.root().resolve("readable"));
    }

    public List<SearchHit> search(SearchQuery query, SearchFilters filters, int limit) throws SQLException {
        return index.read(connection -> {
            StringBuilder sql = new StringBuilder("SELECT rowid, message, on_branch FROM entries WHERE entries MATCH ?");
            List<String> parameters = new ArrayList<>(List.of(query.match()));
            if (filters.sender() != null) {
                sql.append(" AND sender = ?");
                parameters.add(filters.sender());
            }
            String documentOf = "rowid / " + SearchIndex.ENTRIES_PER_DOCUMENT;
            String senderOnly = filters.sender() != null ? " AND sender = ?" : "";
            if (query.required().size() > 1) {
                for (String term : query.required()) {
                    sql.append(" AND ").append(documentOf).append(" IN (SELECT ").append(documentOf)
                            .append(" FROM entries WHERE entries MATCH ?").append(senderOnly).append(")");
                    parameters.add(term);
                    if (filters.sender() != null) {
                        parameters.add(filters.sender());
                    }
                }
            }
            if (query.excluded() != null) {
                sql.append(" AND ").append(documentOf).append(" NOT IN (SELECT ").append(documentOf)
                        .append(" FROM entries WHERE entries MATCH ?)");
                parameters.add(query.excluded());
            }
            if (filters.narrowsDocuments()) {
                sql.append(" AND ").append(documentOf).append(" IN (SELECT id FROM documents WHERE 1 = 1");
                if (filters.organization() != null) {
                    sql.append(" AND (organization = ? COLLATE NOCASE OR organization_uuid = ? COLLATE NOCASE)");
                    parameters.add(filters.organization());
                    parameters.add(filters.organization());
                }
                if (filters.project() != null) {
                    sql.append(" AND project_uuid IN (SELECT uuid FROM documents WHERE kind = 'project'"
                            + " AND (name = ? COLLATE NOCASE OR uuid = ? COLLATE NOCASE))");
                    parameters.add(filters.project());
                    parameters.add(filters.project());
                }
                if (filters.since() != null) {
                    sql.append(" AND updated_at >= ?");
                    parameters.add(filters.since());
                }
                if (filters.until() != null) {
                    sql.append(" AND updated_at < ?");
                    parameters.add(filters.until());
                }
                sql.append(")");
            }
            sql.append(" ORDER BY rank");
            // the best entry of each document, in rank order, until the limit
            Map<Long, Object[]> best = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < parameters.size(); i++) {
                    statement.setString(i + 1, parameters.get(i));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    Set<Long> seen = new HashSet<>();
                    while (best.size() < limit && rows.next()) {
                        long rowid = rows.getLong(1);
                        long document = rowid / SearchIndex.ENTRIES_PER_DOCUMENT;
                        if (seen.add(document)) {
                            best.put(document, new Object[] {rowid, rows.getString(2), rows.getInt(3) == 1});
                        }
                    }
                }
            }
            List<SearchHit> hits = new ArrayList<>(best.size());
            try (PreparedStatement snippet = connection.prepareStatement("SELECT snippet(entries, 0, '[', ']', '…', "
                    + SNIPPET_TOKENS + ") FROM entries WHERE entries MATCH ? AND rowid = ?");
                 PreparedStatement document = connection.prepareStatement("SELECT d.uuid, d.kind, d.name, d.organization,"
                         + " p.name, d.updated_at, d.file, d.project_uuid FROM documents d"
                         + " LEFT JOIN documents p ON p.uuid = d.project_uuid AND p.kind = 'project' WHERE d.id = ?")) {
                for (Map.Entry<Long, Object[]> found : best.entrySet()) {
                    snippet.setString(1, query.match());
                    snippet.setLong(2, (Long) found.getValue()[0]);
                    String text;
                    try (ResultSet rows = snippet.executeQuery()) {
                        text = rows.next() ? rows.getString(1) : "";
                    }
                    document.setLong(1, found.getKey());
                    try (ResultSet rows = document.executeQuery()) {
                        if (rows.next()) {
                            hits.add(hit(rows, SearchHit.printable(text), (String) found.getValue()[1], (Boolean) found.getValue()[2]));
                        }
                    }
                }
            }
            return hits;
        });
    }

    private SearchHit hit(ResultSet row, String snippet, String message, boolean onBranch) throws SQLException {
        String uuid = row.getString(1);
        String kind = row.getString(2);
        String file = row.getString(7);
        String projectUuid = row.getString(8);
        String url;
        String page = null;
        if (kind.equals("chat")) {
            url = CHAT_URL + uuid;
            page = page(file);
        } else if (kind.equals("project")) {
            url = PROJECT_URL + uuid;
        } else {
            uuid = uuid.substring(SearchHit.MEMORY_PREFIX.length());
            url = projectUuid != null ? PROJECT_URL + projectUuid : MEMORY_URL;
        }
        return new SearchHit(url, kind, uuid, row.getString(3), row.getString(4), row.getString(5), row.getString(6),
                snippet, message, onBranch, page);
    }

    /** The chat's page in the readable copy ({@code <OrgSlug>/<ChatSlug>.html}), if it is there. */
    private String page(String file) {
        String[] parts = file.split("/");
        if (parts.length != 4 || !parts[3].endsWith(".json")) {
            return null;
        }
        String page = parts[1] + "/" + parts[3].substring(0, parts[3].length() - ".json".length()) + ".html";
        return Files.isRegularFile(readable.resolve(page)) ? page : null;
    }
}
