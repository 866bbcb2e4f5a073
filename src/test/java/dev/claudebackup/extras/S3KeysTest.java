package dev.claudebackup.extras;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class S3KeysTest {

    @Test
    void thePrefixIsAFolderHoweverItIsWritten() {
        for (String prefix : new String[] {"claude/alice", "/claude/alice/", " claude/alice// "}) {
            assertEquals("claude/alice/account.json", new S3Keys(prefix).key("account.json"), prefix);
        }
        assertEquals("account.json", new S3Keys("").key("account.json"));
        assertEquals("account.json", new S3Keys("/").key("account.json"));
    }
}
