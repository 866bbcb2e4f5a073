package dev.claudebackup.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.cli.BackupApplication;
import dev.claudebackup.cli.Configuration;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.report.Console;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.testing.BackupRunner;

/** The index follows the backup: an update, a rename, a chat gone upstream, a project saved, a re-index, a lost index. */
class IndexFollowsTest {

    @TempDir
    Path work;

    @Test
    void anUpdatedChatReplacesItsRowsARenamedOneFollowsADeletedOneStays() throws Exception {
        try (SearchFixture backup = new SearchFixture(work)) {
            SampleAccount.Chat chat = backup.plain(backup.main, "Bread", "2025-03-01T00:00:00.000000Z", "About sourdough starter.", "Feed it daily.");
            SampleAccount.Chat gone = backup.plain(backup.main, "Old one", "2025-03-02T00:00:00.000000Z", "The obsidian question.", "Yes.");
            assertEquals(0, backup.backup().status().code());
            assertEquals(List.of(chat.uuid()), backup.found(0, "sourdough"));

            // the same uuid, new words: the old ones are gone from the index in the same run
            SearchFixture.ChatJson changed = new SearchFixture.ChatJson(chat.uuid(), "Bread", "2025-03-05T00:00:00.000000Z");
            changed.text(null, "human", "Now about rye flour.");
            backup.put(backup.main, chat.uuid(), changed, changed.last);
            backup.account.deleteChat(backup.main.uuid(), gone.uuid());
            BackupRunner.Result second = backup.backup();
            assertEquals(0, second.status().code(), second::toString);
            assertEquals(List.of(chat.uuid()), backup.found(0, "rye"));
            assertEquals(List.of(), backup.found(1, "sourdough"));
            assertEquals(List.of(gone.uuid()), backup.found(0, "obsidian"), "a chat deleted upstream stays findable");

            SearchFixture.ChatJson renamed = new SearchFixture.ChatJson(chat.uuid(), "Rye baking", "2025-03-06T00:00:00.000000Z");
            renamed.text(null, "human", "Now about rye flour.");
            backup.put(backup.main, chat.uuid(), renamed, renamed.last);
            assertEquals(0, backup.backup().status().code());
            BackupRunner.Result found = backup.search("rye");
            assertEquals(1, found.stdoutLines().size(), found::toString);
            assertTrue(found.stdoutLines().get(0).contains("\tRye baking\t"), found::toString);
            assertEquals(List.of(chat.uuid()), backup.found(0, "baking"), "the new name is searched");
        }
    }

    @Test
    void aMissingOrOlderIndexIsRebuiltByTheNextRunOrByReindex() throws Exception {
        try (SearchFixture backup = new SearchFixture(work)) {
            SampleAccount.Chat chat = backup.plain(backup.main, "Moths", "2025-03-01T00:00:00.000000Z", "The luna moth is green.");
            assertEquals(0, backup.backup().status().code());
            Path database = backup.dir.resolve(".claude-backup/search.db");

            // an index of an older format: the next run builds it again from the files
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                 Statement statement = connection.createStatement()) {
                statement.execute("UPDATE meta SET value = '0' WHERE key = 'format-version'");
                statement.execute("DELETE FROM document_words");
            }
            assertEquals(0, backup.backup().status().code());
            assertEquals(List.of(chat.uuid()), backup.found(0, "luna"));

            // deleted: search builds it by itself
            Files.delete(database);
            assertEquals(List.of(chat.uuid()), backup.found(0, "luna"));

            // a file changed by hand is found after --reindex
            Path file = Files.list(backup.organizationFolder(backup.main).resolve("chat_conversations")).findFirst().orElseThrow();
            Files.writeString(file, Files.readString(file).replace("luna moth", "atlas moth"));
            assertEquals(List.of(chat.uuid()), backup.found(0, "atlas", "--reindex"));
            assertEquals(List.of(), backup.found(1, "luna"));
        }
    }

    @Test
    void aRunThatSavedNothingLooksAtNoFileAndOneThatChangedAFolderAtEvery() throws Exception {
        try (SearchFixture backup = new SearchFixture(work)) {
            SampleAccount.Chat chat = backup.plain(backup.main, "Moths", "2025-03-01T00:00:00.000000Z", "The luna moth is green.");
            assertEquals(0, backup.backup().status().code());
            Path chats = backup.organizationFolder(backup.main).resolve("chat_conversations");
            Path file = Files.list(chats).findFirst().orElseThrow();
            FileTime folderTime = Files.getLastModifiedTime(chats);
            // changed in place by hand, with a new time of its own: its folder, so the backup's stamp, stays as it was
            Files.writeString(file, Files.readString(file).replace("luna moth", "atlas moth"));
            Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 60_000));
            Files.setLastModifiedTime(chats, folderTime);

            assertEquals(0, backup.backup().status().code());
            assertEquals(List.of(), backup.found(1, "atlas"), "a run that saved nothing looked at no file");

            Files.delete(Files.createFile(chats.resolve("a file made and gone"))); // the folder's time moves
            assertEquals(0, backup.backup().status().code());
            assertEquals(List.of(chat.uuid()), backup.found(0, "atlas"), "the next run looked at every file, and found it changed");
        }
    }

    @Test
    void anIndexOfFormatOneOneRowPerMessageIsRebuiltBySearch() throws Exception {
        try (SearchFixture backup = new SearchFixture(work)) {
            SampleAccount.Chat chat = backup.plain(backup.main, "Moths", "2025-03-01T00:00:00.000000Z", "The luna moth is green.");
            assertEquals(0, backup.backup().status().code());
            Path database = backup.dir.resolve(".claude-backup/search.db");
            Path file = Files.list(backup.organizationFolder(backup.main).resolve("chat_conversations")).findFirst().orElseThrow();
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(database + suffix));
            }
            // format 1's layout as it created it, complete, holding a word the chat no longer has
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                statement.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
                        + " organization_uuid TEXT, organization TEXT, project_uuid TEXT, name TEXT, updated_at TEXT,"
                        + " file TEXT NOT NULL, entries INTEGER NOT NULL DEFAULT 0, file_modified INTEGER)");
                statement.execute("CREATE VIRTUAL TABLE entries USING fts5(body, content = '', contentless_delete = 1,"
                        + " tokenize = 'unicode61 remove_diacritics 2')");
                statement.execute("CREATE TABLE messages (id INTEGER PRIMARY KEY, message TEXT, sender TEXT, on_branch INTEGER NOT NULL)");
                statement.execute("INSERT INTO documents (id, uuid, kind, name, file, entries, file_modified) VALUES (1, '"
                        + chat.uuid() + "', 'chat', 'Moths', '" + backup.dir.relativize(file) + "', 1, "
                        + Files.getLastModifiedTime(file).toMillis() + ")");
                statement.execute("INSERT INTO entries (rowid, body) VALUES (1048576, 'The emperor moth is brown.')");
                statement.execute("INSERT INTO messages (id, message, sender, on_branch) VALUES (1048576, NULL, 'human', 1)");
                statement.execute("INSERT INTO meta (key, value) VALUES ('format-version', '1'), ('complete', 'true')");
            }
            assertEquals(List.of(chat.uuid()), backup.found(0, "luna"));
            assertEquals(List.of(), backup.found(1, "emperor"));
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                 Statement statement = connection.createStatement()) {
                List<String> tables = new java.util.ArrayList<>();
                try (var rows = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                    while (rows.next()) {
                        tables.add(rows.getString(1));
                    }
                }
                assertTrue(tables.contains("document_words"), tables::toString);
                assertFalse(tables.contains("entries") || tables.contains("messages"), "format 1's tables are gone: " + tables);
                try (var rows = statement.executeQuery("SELECT value FROM meta WHERE key = 'format-version'")) {
                    assertTrue(rows.next());
                    assertEquals(Integer.toString(SearchIndex.FORMAT_VERSION), rows.getString(1));
                }
            }
        }
    }

    @Test
    void aChatOfMoreThanFourMillionCharactersIsFoundByItsFirstFourMillion() throws Exception {
        try (SearchFixture backup = new SearchFixture(work)) {
            // 2,160,000 characters a message: the second is past ChatEntries.INDEXED_AT_MOST
            String filler = "lorem ipsum dolor ".repeat(120_000);
            SampleAccount.Chat chat = backup.plain(backup.main, "Long one", "2025-03-01T00:00:00.000000Z",
                    filler + "the obsidian question", filler + "a basalt answer", "a granite reply");
            backup.plain(backup.main, "Short one", "2025-03-02T00:00:00.000000Z", "A basalt column.", "Yes.");
            assertEquals(0, backup.backup().status().code());
            assertEquals(List.of(chat.uuid()), backup.found(0, "obsidian"));
            assertEquals(List.of(chat.uuid()), backup.found(0, "\"obsidian question\"", "--sender", "human"));
            assertEquals(List.of(), backup.found(1, "obsidian", "--sender", "assistant"));
            assertEquals(1, backup.found(0, "basalt").size(), "only the short chat: the long one's words past its first 4 million are not indexed");
            assertEquals(List.of(), backup.found(1, "granite"), "nor are the messages after them");
            assertEquals(List.of(chat.uuid()), backup.found(0, "\"Long one\""), "its name is");
        }
    }

    @Test
    void aProjectSavedIsFoundByItsDocsInstructionsAndMemoryWithTheProjectLink() throws Exception {
        try (SearchFixture backup = new SearchFixture(work)) {
            backup.plain(backup.main, "Unrelated", "2025-03-01T00:00:00.000000Z", "Nothing here.");
            assertEquals(0, backup.backup().status().code());

            // what the projects branch writes (CONTRACTS.md point 3), by hand
            String project = "0b6f3c1e-5a3d-4c1e-9f1a-2b3c4d5e6f70";
            Path folder = backup.organizationFolder(backup.main).resolve("projects").resolve(ChatFileNamer.slug("Garden plans", project));
            SearchFixture.write(folder.resolve("project.json"), Map.of("uuid", project, "name", "Garden plans",
                    "description", "Beds and borders", "prompt_template", "Always answer like a botanist named Hortensia.",
                    "updated_at", "2025-04-01T00:00:00.000000Z"));
            SearchFixture.write(folder.resolve("docs.json"), List.of(Map.of("uuid", "d0c5", "file_name", "soil.md",
                    "content", "Kumquat trees want acid soil.")));
            SearchFixture.write(folder.resolve("files.json"), List.of());
            SearchFixture.write(folder.resolve("memory.json"), Map.of("memory", "The user grows marigolds.",
                    "updated_at", "2025-04-02T00:00:00.000000Z"));
            SearchFixture.write(backup.organizationFolder(backup.main).resolve("memory.json"),
                    Map.of("memory", "The user lives near Utrecht.", "updated_at", "2025-04-03T00:00:00.000000Z"));
            String projectJson = backup.dir.relativize(folder.resolve("project.json")).toString();

            // the event, published as the projects branch's route does, on the backup's own routes
            Configuration config = Configuration.load(null, Map.of(), Map.of());
            config.set("backup.dir", backup.dir.toString());
            try (BackupApplication application = BackupApplication.start(config, BackupRunner.SESSION_KEY, null,
                    new Console(System.out, System.err, true))) {
                application.context().createProducerTemplate().send(config.get("events.project-saved"), exchange -> {
                    exchange.getMessage().setBody(Files.readString(folder.resolve("project.json")));
                    exchange.getMessage().setHeader(Exchange.FILE_NAME, projectJson);
                    exchange.getMessage().setHeader("ClaudeBackupOutcome", "NEW");
                });
            }
            BackupRunner.Result found = backup.search("kumquat");
            assertEquals(0, found.status().code(), found::toString);
            assertEquals("https://claude.ai/project/" + project, found.stdoutLines().get(0).split("\t")[0]);
            assertEquals(List.of(project), backup.found(0, "hortensia"));
            assertEquals(List.of(project), backup.found(0, "marigolds"), "the project's memory links to the project");
            assertEquals(List.of(project), backup.found(0, "kumquat", "--project", "garden plans"));

            // the organization's memory is taken in at the end of the next run
            assertEquals(1, backup.search("utrecht").status().code());
            assertEquals(0, backup.backup().status().code());
            BackupRunner.Result memory = backup.search("utrecht", "--json");
            assertEquals(0, memory.status().code(), memory::toString);
            assertTrue(memory.stdout().contains("\"kind\":\"memory\""), memory::toString);
        }
    }
}
