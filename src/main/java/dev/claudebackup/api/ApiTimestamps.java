package dev.claudebackup.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * claude.ai's timestamps ({@code 2024-05-01T12:34:56.789012Z}). The common form, plain UTC, is read without
 * java.time's parser, which under C1 cost more per chat than writing its file's time (2 % of a full backup)
 * and more than any other part of a readable page; anything else goes the long way, through {@link Instant#parse}.
 */
public final class ApiTimestamps {

    private ApiTimestamps() {
    }

    /** The instant a timestamp names, or empty when it names none. */
    public static Optional<Instant> instant(String timestamp) {
        if (timestamp == null) {
            return Optional.empty();
        }
        if (isPlainUtc(timestamp)) {
            long day = LocalDate.of(number(timestamp, 0, 4), number(timestamp, 5, 7), number(timestamp, 8, 10)).toEpochDay();
            long seconds = day * 86_400 + number(timestamp, 11, 13) * 3_600L + number(timestamp, 14, 16) * 60L
                    + number(timestamp, 17, 19);
            int length = timestamp.length();
            long nanos = 0;
            if (length > 20) {
                nanos = number(timestamp, 20, length - 1);
                for (int digits = length - 21; digits < 9; digits++) {
                    nanos *= 10;
                }
            }
            return Optional.of(Instant.ofEpochSecond(seconds, nanos));
        }
        try {
            return Optional.of(Instant.parse(timestamp));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the timestamp is {@code yyyy-MM-ddTHH:mm:ssZ}, with a fraction of 1 to 9 digits or none, a real
     * date and time of day: its first 16 characters then say the minute as they stand.
     */
    public static boolean isPlainUtc(String timestamp) {
        int length = timestamp.length();
        if (length < 20 || length > 30 || timestamp.charAt(length - 1) != 'Z' || timestamp.charAt(4) != '-'
                || timestamp.charAt(7) != '-' || timestamp.charAt(10) != 'T' || timestamp.charAt(13) != ':'
                || timestamp.charAt(16) != ':') {
            return false;
        }
        int year = number(timestamp, 0, 4);
        int month = number(timestamp, 5, 7);
        int day = number(timestamp, 8, 10);
        int hour = number(timestamp, 11, 13);
        int minute = number(timestamp, 14, 16);
        int second = number(timestamp, 17, 19);
        if (year < 1000 || month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return false;
        }
        // a fraction of 1 to 9 digits
        return length == 20 || timestamp.charAt(19) == '.' && number(timestamp, 20, length - 1) >= 0;
    }

    /** The ASCII digits from {@code from} to {@code to} as a number, or -1. */
    private static int number(String text, int from, int to) {
        if (to <= from) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
