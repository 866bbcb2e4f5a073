package dev.claudebackup.readable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A relative link from a page: each segment percent-encoded, the slashes between them kept. */
class ReadableFolderPathsTest {

    @Test
    void eachSegmentIsEncodedAndTheSlashesStay() {
        assertEquals("a%20b/c%2Bd/%C3%A9t%C3%A9.html", ReadableFolder.encodePath("a b/c+d/été.html"));
        assertEquals("../files/x%3Fy%23z%25.png", ReadableFolder.encodePath("../files/x?y#z%.png"));
        assertEquals("/x/", ReadableFolder.encodePath("/x/"));
        assertEquals("", ReadableFolder.encodePath(""));
    }
}
