package dev.claudebackup.search;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import dev.claudebackup.search.SearchQuery.BadQueryException;

/**
 * What narrows a search: the organization or project (by name or uuid, case-insensitively), the time
 * the chat (project, memory) was last updated, and who wrote the message. Null: no filter.
 */
public record SearchFilters(String organization, String project, String since, String until, String sender) {

    public static final SearchFilters NONE = new SearchFilters(null, null, null, null, null);
    private static final DateTimeFormatter STORED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    /** From the options as given: dates as YYYY-MM-DD (until: that whole day) or an ISO time; sender human or assistant. */
    public static SearchFilters of(String organization, String project, String since, String until, String sender)
            throws BadQueryException {
        String who = null;
        if (sender != null) {
            who = sender.toLowerCase(Locale.ROOT);
            if (!who.equals("human") && !who.equals("assistant")) {
                throw new BadQueryException("--sender is human or assistant, not \"" + sender + "\".");
            }
        }
        return new SearchFilters(blankToNull(organization), blankToNull(project), time(since, "--since", false),
                time(until, "--until", true), who);
    }

    /**
     * The time as claude.ai writes updated_at (UTC, so that strings compare as times); for --until a date
     * means up to the end of that day.
     */
    private static String time(String given, String option, boolean endOfDay) throws BadQueryException {
        if (given == null || given.isBlank()) {
            return null;
        }
        try {
            LocalDate date = LocalDate.parse(given.strip());
            return STORED.format((endOfDay ? date.plusDays(1) : date).atStartOfDay());
        } catch (DateTimeParseException notADate) {
            try {
                OffsetDateTime time = OffsetDateTime.parse(given.strip());
                return STORED.format(time.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()) + (endOfDay ? "~" : "");
            } catch (DateTimeParseException e) {
                throw new BadQueryException(option + " is a date (2025-06-01) or a time (2025-06-01T10:00:00Z), not \"" + given + "\".");
            }
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    boolean narrowsDocuments() {
        return organization != null || project != null || since != null || until != null;
    }
}
