package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** claude.ai's timestamps read the quick way mean exactly what java.time reads in them. */
public class ApiTimestampsTest {

    /** Plain UTC in every length of fraction, impossible dates and times, other forms, and no timestamp at all. */
    public static final List<String> TIMESTAMPS = List.of("2024-05-01T12:34:56.789012Z", "2024-05-01T12:34:56Z",
            "2024-05-01T12:34:56.1Z", "2024-05-01T23:59:59.999999999Z", "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z",
            "2024-04-31T10:00:00Z", "2024-13-01T10:00:00Z", "2024-00-10T10:00:00Z", "2024-05-00T10:00:00Z",
            "2024-05-01T24:00:00Z", "2024-05-01T12:60:00Z", "2024-05-01T12:34:60Z", "2024-05-01T12:34:56.Z",
            "2024-05-01T12:34:56.1234567890Z", "2024-05-01t12:34:56z", "2024-05-01T12:34:56+02:00",
            "2024-05-01T12:34:56.5+00:00", "0999-05-01T12:34:56Z", "0000-01-01T00:00:00Z", "+12024-05-01T12:34:56Z",
            "2024-05-01 12:34:56Z", "2024-5-01T12:34:56Z", "2024-05-01T12:34:5aZ", "2024-05-01T-1:34:56Z",
            "1969-12-31T23:59:59.5Z", "1970-01-01T00:00:00.000001Z", "9999-12-31T23:59:59.123456789Z", "", "yesterday",
            "2024-05-01");

    @Test
    void everyTimestampMeansWhatJavaTimeReadsInIt() {
        for (String timestamp : TIMESTAMPS) {
            assertEquals(slow(timestamp), ApiTimestamps.instant(timestamp), timestamp);
        }
        assertEquals(Optional.empty(), ApiTimestamps.instant(null));
    }

    private static Optional<Instant> slow(String timestamp) {
        try {
            return Optional.of(Instant.parse(timestamp));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
