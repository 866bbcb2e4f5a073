package dev.claudebackup.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.claudebackup.search.IndexedDocument.Entry;
import dev.claudebackup.store.BackupFolder;

/**
 * Searches the index: best document first (FTS5's bm25 of its row in {@code document_words}), one hit per
 * chat, project or memory, at its best entry. The index holds no text (it is contentless): the entries of
 * each hit shown are read again from its JSON into a temporary FTS5 table with the same tokenizer, which
 * picks the best of them (its message's uuid, sender and branch) and makes its snippet.
 */
public final class IndexSearch {

    private static final String CHAT_URL = "https://claude.ai/chat/";
    private static final String PROJECT_URL = "https://claude.ai/project/";
    /** Where claude.ai shows an organization's memory. */
    static final String MEMORY_URL = "https://claude.ai/settings/capabilities";
    private static final int SNIPPET_TOKENS = 16;
    private static final String DOCUMENT = "SELECT d.uuid, d.kind, d.name, d.organization, p.name, d.updated_at, d.file,"
            + " d.project_uuid FROM documents d LEFT JOIN documents p ON p.uuid = d.project_uuid AND p.kind = 'project'"
            + " WHERE d.id = ?";

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

    /** The entry of a document that matched best, now. */
    private record Best(String message, boolean onBranch, String snippet) {
    }

    public List<SearchHit> search(SearchQuery query, SearchFilters filters, int limit) throws SQLException {
        return index.read(connection -> {
            List<String> parameters = new ArrayList<>(List.of(documentMatch(query, filters)));
            StringBuilder sql = new StringBuilder("SELECT w.rowid FROM document_words w");
            if (filters.narrowsDocuments()) {
                // a join, not "rowid IN (SELECT ...)": SQLite would run the MATCH once per document
                sql.append(" CROSS JOIN documents d ON d.id = w.rowid");
            }
            sql.append(" WHERE document_words MATCH ?");
            if (filters.organization() != null) {
                sql.append(" AND (d.organization = ? COLLATE NOCASE OR d.organization_uuid = ? COLLATE NOCASE)");
                parameters.add(filters.organization());
                parameters.add(filters.organization());
            }
            if (filters.project() != null) {
                sql.append(" AND d.project_uuid IN (SELECT uuid FROM documents WHERE kind = 'project'"
                        + " AND (name = ? COLLATE NOCASE OR uuid = ? COLLATE NOCASE))");
                parameters.add(filters.project());
                parameters.add(filters.project());
            }
            if (filters.since() != null) {
                sql.append(" AND d.updated_at >= ?");
                parameters.add(filters.since());
            }
            if (filters.until() != null) {
                sql.append(" AND d.updated_at < ?");
                parameters.add(filters.until());
            }
            // bm25() rather than rank: the same order, ranked by SQLite's sorter, which keeps only the LIMIT best
            sql.append(" ORDER BY bm25(document_words) LIMIT ? OFFSET ?");
            PreparedStatement ranked = index.searchStatement(sql.toString());
            for (int i = 0; i < parameters.size(); i++) {
                ranked.setString(i + 1, parameters.get(i));
            }
            List<SearchHit> hits = new ArrayList<>(Math.min(limit, 100));
            long[] nextRowid = {0};
            // a document the JSON no longer backs (see best) is left out, and the next ones are asked for
            for (int offset = 0; hits.size() < limit; offset += limit) {
                ranked.setInt(parameters.size() + 1, limit);
                ranked.setInt(parameters.size() + 2, offset);
                List<Long> ids = new ArrayList<>(limit);
                try (ResultSet rows = ranked.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getLong(1));
                    }
                }
                for (long id : ids) {
                    SearchHit hit = hit(id, query, filters, nextRowid);
                    if (hit != null && hits.size() < limit) {
                        hits.add(hit);
                    }
                }
                if (ids.size() < limit) {
                    break;
                }
            }
            return hits;
        });
    }

    /**
     * The MATCH of document_words: every required term (or OR of terms) somewhere in the document, none
     * of the excluded, and with a sender, one of the terms in that sender's messages (its column).
     */
    static String documentMatch(SearchQuery query, SearchFilters filters) {
        StringBuilder match = new StringBuilder();
        for (String term : query.required()) {
            match.append(match.length() > 0 ? " AND (" : "(").append(term).append(')');
        }
        if (filters.sender() != null) {
            match.append(" AND {").append(SearchIndex.columnOf(filters.sender())).append("} : (").append(query.match()).append(')');
        }
        if (query.excluded() != null) {
            match.insert(0, '(').append(") NOT (").append(query.excluded()).append(')');
        }
        return match.toString();
    }

    private SearchHit hit(long id, SearchQuery query, SearchFilters filters, long[] nextRowid) throws SQLException {
        PreparedStatement document = index.searchStatement(DOCUMENT);
        document.setLong(1, id);
        try (ResultSet row = document.executeQuery()) {
            if (!row.next()) {
                return null;
            }
            Best best = best(query, filters, row.getString(7), nextRowid);
            return best == null ? null : hit(row, best.snippet, best.message, best.onBranch);
        }
    }

    /**
     * The document's entry (of the sender, if one is given) that matches best, read from its JSON now into
     * {@code temp.entries_now} (made by {@link SearchIndex}), from rowid {@code nextRowid[0]} on. Each document's rows follow the previous one's
     * instead of replacing them: deleting from FTS5 costs as much as inserting, and the search's transaction
     * is rolled back at the end anyway ({@link SearchIndex#read}).
     * Null when the JSON says the document does not match after all: it changed since it was indexed, or
     * a phrase ran across two of its messages (one row of the index holds them all). A file that cannot be
     * read any more is still a hit, without a snippet.
     */
    private Best best(SearchQuery query, SearchFilters filters, String file, long[] nextRowid) throws SQLException {
        List<Entry> entries;
        try {
            Optional<IndexedDocument> document = documents.document(documents.backup().resolve(file));
            entries = document.map(IndexedDocument::entries).orElse(List.of());
        } catch (IOException | RuntimeException e) {
            return new Best(null, true, ""); // the file is gone or unreadable since it was indexed: the hit still stands
        }
        long first = nextRowid[0];
        nextRowid[0] += entries.size();
        PreparedStatement insert = index.searchStatement("INSERT INTO temp.entries_now (rowid, body, sender) VALUES (?, ?, ?)");
        for (int i = 0; i < entries.size(); i++) {
            insert.setLong(1, first + i);
            insert.setString(2, entries.get(i).body());
            insert.setString(3, SearchIndex.columnOf(entries.get(i).sender()));
            insert.addBatch();
        }
        insert.executeBatch();
        if (query.required().size() > 1) {
            // each term in one message at least, not only across two
            PreparedStatement holds = index.searchStatement("SELECT 1 FROM temp.entries_now WHERE entries_now MATCH ?"
                    + " AND rowid >= ? AND rowid < ? LIMIT 1");
            for (String term : query.required()) {
                holds.setString(1, term);
                holds.setLong(2, first);
                holds.setLong(3, nextRowid[0]);
                try (ResultSet rows = holds.executeQuery()) {
                    if (!rows.next()) {
                        return null;
                    }
                }
            }
        }
        PreparedStatement best = index.searchStatement("SELECT rowid, snippet(entries_now, 0, '[', ']', '…', " + SNIPPET_TOKENS
                + ") FROM temp.entries_now WHERE entries_now MATCH ?1 AND rowid >= ?2 AND rowid < ?3"
                + " AND (?4 IS NULL OR sender = ?4) ORDER BY rank LIMIT 1");
        best.setString(1, query.match());
        best.setLong(2, first);
        best.setLong(3, nextRowid[0]);
        best.setString(4, filters.sender() == null ? null : SearchIndex.columnOf(filters.sender()));
        try (ResultSet rows = best.executeQuery()) {
            if (!rows.next()) {
                return null;
            }
            Entry entry = entries.get((int) (rows.getLong(1) - first));
            return new Best(entry.message(), entry.onCurrentBranch(), SearchHit.printable(rows.getString(2)));
        }
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
