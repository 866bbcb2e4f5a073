package dev.claudebackup.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SessionKeyTest {

    @Test
    void toStringHidesTheValue() {
        SessionKey key = new SessionKey("sk-ant-sid01-FAKE-test-key", "CLAUDE_SESSION_KEY");
        assertFalse(key.toString().contains("FAKE"), key.toString());
        assertTrue(key.toString().contains("CLAUDE_SESSION_KEY"));
        assertEquals("sk-ant-sid01-FAKE-test-key", key.value());
    }

    @Test
    void refusesWhatCannotTravelInACookieHeaderWithoutEchoingIt() {
        for (String bad : new String[] {"", "sk-ant-FAKE\r\nX-Evil: 1", "sk-ant FAKE", "sk-ant-FAKE;", "sk-ant-\"FAKE\"", "sk-ant-FAKÉ"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SessionKey(bad, "test"));
            assertFalse(e.getMessage().contains("FAKE"), e.getMessage());
        }
    }
}
