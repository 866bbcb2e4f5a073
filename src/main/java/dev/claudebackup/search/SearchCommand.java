package dev.claudebackup.search;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.claudebackup.cli.BackupDirOption;
import dev.claudebackup.cli.OfflineCommand;
import dev.claudebackup.report.Console;
import dev.claudebackup.search.SearchQuery.BadQueryException;
import dev.claudebackup.readable.ReadableFolder;
import dev.claudebackup.store.BackupFolder;

/** {@code search [options] QUERY...}: the chats, projects and memory of a backup that hold the words, best first. */
@Command(name = "search", sortOptions = false,
        description = {"Finds words in every chat (every branch), project and memory of a backup,",
                "best match first, one line per chat: URL<TAB>UPDATED<TAB>NAME<TAB>SNIPPET,",
                "the matched words in [brackets].",
                "QUERY: words (all in the chat), \"a phrase\", prefix*, OR between two terms,",
                "-word to leave out chats with it. Case and accents do not matter.",
                "Exit status: 0 found, 1 nothing found, 2 bad usage or no backup."})
public final class SearchCommand implements OfflineCommand {

    static final int NOT_FOUND = 1;
    static final int USAGE = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    BackupDirOption backupDir;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Option(names = "--org", paramLabel = "NAME", description = "Only this organization (its name or uuid).")
    String organization;

    @Option(names = "--project", paramLabel = "NAME", description = "Only this project's chats, instructions, docs and memory (its name or uuid).")
    String project;

    @Option(names = "--since", paramLabel = "DATE", description = "Only what was updated on or after DATE (2025-06-01, or an ISO time).")
    String since;

    @Option(names = "--until", paramLabel = "DATE", description = "Only what was updated on or before DATE.")
    String until;

    @Option(names = "--sender", paramLabel = "WHO", description = "Only messages of human or assistant.")
    String sender;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N results (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "One JSON object per line: url, kind, uuid, name, organization, project, updated_at, snippet, message_uuid, on_current_branch, page.")
    boolean json;

    @Option(names = "--reindex", description = "Build the index again from the backup's files first (it is built by itself when missing).")
    boolean reindex;

    @Parameters(paramLabel = "QUERY", arity = "0..*", description = "What to find.")
    List<String> words = new ArrayList<>();

    @Override
    public int run(Map<String, String> environment, Console console) throws Exception {
        Path folder = backupDir.existingBackup(environment);
        if (words.isEmpty() && !reindex) {
            console.error("Give the words to find (search --help shows the syntax).");
            return USAGE;
        }
        if (limit < 1) {
            console.error("--limit is at least 1.");
            return USAGE;
        }
        SearchQuery query = null;
        SearchFilters filters;
        try {
            if (!words.isEmpty()) {
                query = SearchQuery.parse(joined(words));
            }
            filters = SearchFilters.of(organization, project, since, until, sender);
        } catch (BadQueryException e) {
            console.error(e.getMessage());
            return USAGE;
        }
        BackupFolder backup = new BackupFolder(folder);
        try (SearchIndex index = new SearchIndex(backup)) {
            BackupIndexer indexer = new BackupIndexer(backup, index);
            if (reindex || !index.open()) {
                console.info("Indexing " + folder + " for search...");
                int documents = indexer.rebuild();
                console.info("Indexed " + documents + " chats, projects and memories.");
            }
            if (query == null) {
                return 0;
            }
            List<SearchHit> hits;
            try {
                hits = IndexSearch.of(backup, index, ReadableFolder.rootOf(backup.root(), backupDir.configuration(environment).get("readable.dir"))).search(query, filters, limit);
            } catch (SQLException e) {
                // not expected of the expressions SearchQuery builds; still said as a bad query, never a trace
                console.error("Cannot search for " + query.typed() + ": " + e.getMessage());
                return USAGE;
            }
            PrintStream out = System.out;
            for (SearchHit hit : hits) {
                out.println(json ? JSON.writeValueAsString(hit.json()) : hit.line());
            }
            out.flush();
            return hits.isEmpty() ? NOT_FOUND : 0;
        }
    }

    /**
     * The words as one query. The shell took the quotes off {@code "a phrase"}: an argument with a space
     * in it (and no quotes of its own) was one, so it is a phrase again.
     */
    static String joined(List<String> words) {
        StringBuilder query = new StringBuilder();
        for (String word : words) {
            if (query.length() > 0) {
                query.append(' ');
            }
            boolean phrase = word.strip().contains(" ") && !word.contains("\"");
            if (phrase && word.startsWith("-")) {
                query.append("-\"").append(word.substring(1)).append('"');
            } else if (phrase) {
                query.append('"').append(word).append('"');
            } else {
                query.append(word);
            }
        }
        return query.toString();
    }
}
