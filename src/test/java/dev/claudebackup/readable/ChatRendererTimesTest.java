package dev.claudebackup.readable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.junit.jupiter.api.Test;

import dev.claudebackup.api.ApiTimestampsTest;

/** The times a page shows: its quick way for claude.ai's timestamps says exactly what java.time says. */
class ChatRendererTimesTest {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    @Test
    void everyTimestampIsShownAsJavaTimeShowsIt() {
        for (String timestamp : ApiTimestampsTest.TIMESTAMPS) {
            assertEquals(slow(timestamp), ChatRenderer.shown(timestamp), timestamp);
        }
    }

    private static String slow(String timestamp) {
        try {
            return SHOWN.format(Instant.parse(timestamp));
        } catch (DateTimeParseException e) {
            return timestamp;
        }
    }
}
