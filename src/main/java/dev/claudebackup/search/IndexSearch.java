package dev.claudebackup.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.claudebackup.search.IndexedDocument.Entry;
import dev.claudebackup.store.BackupFolder;

/**
 * Searches the index: best entry first (FTS5's bm25 rank), one hit per chat, project or memory (its best
 * entry). The index holds no text (it is contentless): a hit's snippet is made by FTS5 itself from the
 * entry read again from the JSON, in a temporary table with the same tokenizer, for the few hits shown.
 */
public final class IndexSearch {

    private static final String CHAT_URL = "https://claude.ai/chat/";
    private static final String PROJECT_URL = "https://claude.ai/project/";
    /** Where claude.ai shows an organization's memory. */
    static final String MEMORY_URL = "https://claude.ai/settings/capabilities";
    private static final int SNIPPET_TOKENS = 16;
    private static final int SNIPPET_FALLBACK_CHARACTERS = 120;

    private final SearchIndex index;
    private final BackupIndexer documents;
    private final Path readable;

    /** @param readable the readable copy's folder, where a hit's page is looked for */
    IndexSearch(SearchIndex index, BackupIndexer documents, Path readable) {
        this.index = index;
        this.documents = documents;
        this.readable = readable;
    }

    /** @param readable the readable copy's folder (readable.dir resolved against the backup folder) */
    public static IndexSearch of(BackupFolder backup, SearchIndex index, Path readable) {
        return new IndexSearch(index, new BackupIndexer(backup, index), readable);
    }

    private record Best(long rowid, String message, boolean onBranch) {
    }

    public List<SearchHit> search(SearchQuery query, SearchFilters filters, int limit) throws SQLException {
        return index.read(connection -> {
            // the message's details only for the hits shown: a lookup per matching entry would double a common word's time
            StringBuilder sql = new StringBuilder("SELECT e.rowid FROM entries e WHERE entries MATCH ?");
            List<String> parameters = new ArrayList<>(List.of(query.match()));
            if (filters.sender() != null) {
                sql.append(" AND (SELECT sender FROM messages m WHERE m.id = e.rowid) = ?");
                parameters.add(filters.sender());
            }
            String documentOf = "rowid / " + SearchIndex.ENTRIES_PER_DOCUMENT;
            if (query.required().size() > 1) {
                // every term somewhere in the chat, not necessarily in one message
                for (String term : query.required()) {
                    sql.append(" AND e.").append(documentOf).append(" IN (SELECT ").append(documentOf)
                            .append(" FROM entries WHERE entries MATCH ?)");
                    parameters.add(term);
                }
            }
            if (query.excluded() != null) {
                sql.append(" AND e.").append(documentOf).append(" NOT IN (SELECT ").append(documentOf)
                        .append(" FROM entries WHERE entries MATCH ?)");
                parameters.add(query.excluded());
            }
            if (filters.narrowsDocuments()) {
                sql.append(" AND e.").append(documentOf).append(" IN (SELECT id FROM documents WHERE 1 = 1");
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
            sql.append(" ORDER BY e.rank");
            // the best entry of each document, in rank order, until the limit
            Map<Long, Best> best = new LinkedHashMap<>();
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
                            best.put(document, message(connection, rowid));
                        }
                    }
                }
            }
            List<SearchHit> hits = new ArrayList<>(best.size());
            try (PreparedStatement document = connection.prepareStatement("SELECT d.uuid, d.kind, d.name, d.organization,"
                    + " p.name, d.updated_at, d.file, d.project_uuid FROM documents d"
                    + " LEFT JOIN documents p ON p.uuid = d.project_uuid AND p.kind = 'project' WHERE d.id = ?")) {
                for (Map.Entry<Long, Best> found : best.entrySet()) {
                    document.setLong(1, found.getKey());
                    try (ResultSet rows = document.executeQuery()) {
                        if (rows.next()) {
                            Best entry = found.getValue();
                            String snippet = snippet(connection, query, rows.getString(7),
                                    (int) (entry.rowid % SearchIndex.ENTRIES_PER_DOCUMENT));
                            hits.add(hit(rows, snippet, entry.message, entry.onBranch));
                        }
                    }
                }
            }
            return hits;
        });
    }

    private static Best message(Connection connection, long rowid) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT message, on_branch FROM messages WHERE id = ?")) {
            statement.setLong(1, rowid);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? new Best(rowid, rows.getString(1), rows.getInt(2) == 1) : new Best(rowid, null, true);
            }
        }
    }

    /** The matched words of the entry in context, FTS5's snippet of the entry as the JSON holds it now. */
    private String snippet(Connection connection, SearchQuery query, String file, int position) throws SQLException {
        String body;
        try {
            Optional<IndexedDocument> document = documents.document(documents.backup().resolve(file));
            List<Entry> entries = document.map(IndexedDocument::entries).orElse(List.of());
            if (position >= entries.size()) {
                return "";
            }
            body = entries.get(position).body();
        } catch (IOException | RuntimeException e) {
            return ""; // the file is gone or unreadable since it was indexed: the hit still stands
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.snippets USING fts5(body, tokenize = '"
                    + SearchIndex.TOKENIZER + "')");
            statement.execute("DELETE FROM temp.snippets");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO temp.snippets (body) VALUES (?)")) {
            insert.setString(1, body);
            insert.executeUpdate();
        }
        try (PreparedStatement snippet = connection.prepareStatement("SELECT snippet(snippets, 0, '[', ']', '…', "
                + SNIPPET_TOKENS + ") FROM temp.snippets WHERE snippets MATCH ?")) {
            snippet.setString(1, query.match());
            try (ResultSet rows = snippet.executeQuery()) {
                if (rows.next()) {
                    return SearchHit.printable(rows.getString(1));
                }
            }
        }
        // the file changed since it was indexed, and this entry no longer holds the words
        String flat = SearchHit.printable(body);
        return flat.length() <= SNIPPET_FALLBACK_CHARACTERS ? flat : flat.substring(0, SNIPPET_FALLBACK_CHARACTERS) + "…";
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
