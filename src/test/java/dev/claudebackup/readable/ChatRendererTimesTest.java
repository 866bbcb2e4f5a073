package dev.claudebackup.readable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The times a page shows: its quick way for claude.ai's timestamps says exactly what java.time says. */
class ChatRendererTimesTest {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    @Test
    void everyTimestampIsShownAsJavaTimeShowsIt() {
        List<String> timestamps = List.of("2024-05-01T12:34:56.789012Z", "2024-05-01T12:34:56Z", "2024-05-01T12:34:56.1Z",
                "2024-05-01T23:59:59.999999999Z", "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2024-04-31T10:00:00Z",
                "2024-13-01T10:00:00Z", "2024-00-10T10:00:00Z", "2024-05-00T10:00:00Z", "2024-05-01T24:00:00Z",
                "2024-05-01T12:60:00Z", "2024-05-01T12:34:60Z", "2024-05-01T12:34:56.Z", "2024-05-01T12:34:56.1234567890Z",
                "2024-05-01t12:34:56z", "2024-05-01T12:34:56+02:00", "2024-05-01T12:34:56.5+00:00", "0999-05-01T12:34:56Z",
                "0000-01-01T00:00:00Z", "+12024-05-01T12:34:56Z", "2024-05-01 12:34:56Z", "2024-5-01T12:34:56Z",
                "2024-05-01T12:34:5aZ", "2024-05-01T-1:34:56Z", "", "yesterday", "2024-05-01");
        for (String timestamp : timestamps) {
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
