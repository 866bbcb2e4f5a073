package dev.claudebackup.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files a chat names, which rendition is asked for, from where, and the name each is saved under. */
class NamedFilesTest {

    static final String ORG = "11111111-2222-4333-8444-555555555555";
    static final String CHAT = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
    static final String FILE = "0F0F0F0F-1111-4222-8333-444444444444";
    final NamedFiles named = new NamedFiles(URI.create("https://claude.ai"), "/api/{org}/files/{file}/{variant}",
            "/api/organizations/{org}/conversations/{chat}/wiggle/download-file?path={path}");
    final FileOwner owner = new FileOwner(FileOwner.CHAT, CHAT, "A chat", ORG, "organizations/Personal-" + ORG);

    @TempDir
    Path dir;

    @Test
    void theRenditionAndWhereItComesFrom() throws Exception {
        List<NamedFile> files = chat("""
                {"uuid": "%s", "chat_messages": [
                  {"files_v2": [
                     {"file_kind": "image", "file_uuid": "%s", "file_name": "a.png",
                      "preview_asset": {"url": "/api/%s/files/%s/preview"}, "thumbnail_asset": {"url": "/api/x/thumb"}},
                     {"file_kind": "image", "file_uuid": "22222222-1111-4222-8333-444444444444", "file_name": "b.png",
                      "thumbnail_url": "https://claude.ai/api/%s/files/22222222-1111-4222-8333-444444444444/thumbnail"},
                     {"file_kind": "document", "file_uuid": "33333333-1111-4222-8333-444444444444", "file_name": "c.docx",
                      "document_asset": {"url": "https://evil.example/api/steal"}},
                     {"file_kind": "document", "file_uuid": "44444444-1111-4222-8333-444444444444", "file_name": "d.txt",
                      "preview_url": "//claude.ai.evil.example/api/x"},
                     {"file_kind": "blob", "file_uuid": "55555555-1111-4222-8333-444444444444", "file_name": "e.bin"},
                     {"file_kind": "image", "file_uuid": "not-a-uuid", "file_name": "f.png"}],
                   "files": [{"file_kind": "image", "file_uuid": "%s", "file_name": "a.png"}]}]}
                """.formatted(CHAT, FILE, ORG, FILE, ORG, FILE));

        assertEquals(6, files.size(), "the image in files and files_v2 is one file: " + files);
        assertEquals("preview /api/" + ORG + "/files/" + FILE + "/preview", show(files.get(0)), "the entry's own URL");
        assertEquals(FILE.toLowerCase(), files.get(0).uuid());
        assertEquals("thumbnail /api/" + ORG + "/files/22222222-1111-4222-8333-444444444444/thumbnail", show(files.get(1)),
                "a thumbnail only where there is no preview; an absolute URL on the base host is its path");
        assertEquals("document_pdf /api/" + ORG + "/files/33333333-1111-4222-8333-444444444444/document_pdf", show(files.get(2)),
                "another host's URL is never asked: the path is built");
        assertEquals("preview /api/" + ORG + "/files/44444444-1111-4222-8333-444444444444/preview", show(files.get(3)),
                "a document without a PDF: its preview; a protocol-relative URL elsewhere is not the base host");
        assertNull(files.get(4).apiPath());
        assertEquals("a blob has no rendition to download", files.get(4).notDownloadableBecause());
        assertEquals("no file uuid", files.get(5).notDownloadableBecause());
    }

    @Test
    void sandboxOutputsOfPresentFilesAndCreateFile() throws Exception {
        List<NamedFile> files = chat("""
                {"uuid": "%s", "chat_messages": [{"content": [
                   {"type": "tool_use", "name": "create_file", "input": {"path": "/mnt/user-data/outputs/plan.md", "file_text": "/mnt/user-data/outputs/not-this"}},
                   {"type": "tool_use", "name": "create_file", "input": {"path": "/home/claude/scratch.py"}},
                   {"type": "tool_use", "name": "present_files", "input": {"filepaths": ["/mnt/user-data/outputs/plan.md", "/mnt/user-data/outputs/../../etc/passwd", "/mnt/user-data/outputs/chart.png"]}}
                ]}]}
                """.formatted(CHAT));

        assertEquals(List.of("plan.md", "chart.png"), files.stream().map(NamedFile::name).toList());
        assertEquals("/api/organizations/" + ORG + "/conversations/" + CHAT + "/wiggle/download-file?path=%2Fmnt%2Fuser-data%2Foutputs%2Fplan.md",
                files.get(0).apiPath());
    }

    @Test
    void theSavedNameSaysWhatTheBytesAre() {
        String uuid = FILE.toLowerCase();
        assertEquals("Screen_shot-" + uuid + ".webp", FileNames.fileName("Screen shot.png", FILE, "image/webp"));
        assertEquals("photo-" + uuid + ".jpeg", FileNames.fileName("photo.JPEG", FILE, "image/jpeg"));
        assertEquals("report-" + uuid + ".pdf", FileNames.fileName("report.docx", FILE, "application/pdf"));
        assertEquals("notes-" + uuid + ".md", FileNames.fileName("notes.md", FILE, "application/octet-stream"));
        assertEquals("file-" + uuid + ".png", FileNames.fileName("", FILE, "image/png; charset=binary"));
        assertEquals("_hidden-" + uuid + ".bin", FileNames.fileName(".hidden", FILE, null));
        assertEquals("archive.tar-" + uuid + ".gz", FileNames.fileName("archive.tar.gz", FILE, null));
    }

    /** The files of a chat read from its file, checked to be those read from a chat-saved event's body (left open for the next listener). */
    private List<NamedFile> chat(String json) throws Exception {
        Path file = Files.writeString(dir.resolve("chat.json"), json);
        List<NamedFile> fromFile = named.ofChat(file, owner);
        boolean[] closed = {false};
        try (java.io.InputStream body = new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        }) {
            assertEquals(fromFile, named.ofChat(body, owner));
            assertEquals(false, closed[0], "the event's body is the caller's to close");
        }
        return fromFile;
    }

    private static String show(NamedFile file) {
        return file.variant() + " " + file.apiPath();
    }
}
