package dev.claudebackup.search;

import java.util.ArrayList;
import java.util.List;

/**
 * What a person types, as a safe FTS5 MATCH expression. The syntax is a search box's: words (all must
 * match), {@code "a phrase"}, {@code prefix*}, {@code OR} between two terms, {@code -word} or
 * {@code -"a phrase"} to exclude, all of them in a chat as a whole. Every term goes to FTS5 as a quoted string (quotes doubled), so no
 * input can reach FTS5 as its own syntax; only the operators built here do.
 */
public final class SearchQuery {

    /** A query that cannot be searched, said in words for the person who typed it. */
    public static final class BadQueryException extends Exception {
        public BadQueryException(String message) {
            super(message);
        }
    }

    private record Term(String text, boolean prefix, boolean excluded, boolean or) {
        String fts() {
            return "\"" + text.replace("\"", "\"\"") + "\"" + (prefix ? " *" : "");
        }
    }

    private final String typed;
    private final String match;
    private final List<String> required;
    private final String excluded;

    private SearchQuery(String typed, String match, List<String> required, String excluded) {
        this.typed = typed;
        this.match = match;
        this.required = required;
        this.excluded = excluded;
    }

    /** The words of the command line (or the box), joined by spaces, parsed. */
    public static SearchQuery parse(String typed) throws BadQueryException {
        // control characters are no words; a NUL would even end FTS5's reading of the expression
        typed = typed == null ? "" : typed.replaceAll("\\p{Cc}", " ");
        List<Term> terms = terms(typed);
        List<List<Term>> groups = new ArrayList<>();
        List<Term> excluded = new ArrayList<>();
        boolean orPending = false;
        for (Term term : terms) {
            if (term.or) {
                if (orPending || groups.isEmpty()) {
                    throw new BadQueryException("OR needs a word on each side (\"" + typed.strip() + "\").");
                }
                orPending = true;
            } else if (term.excluded) {
                if (orPending) {
                    throw new BadQueryException("OR cannot be followed by an excluded word (\"" + typed.strip() + "\").");
                }
                excluded.add(term);
            } else if (orPending) {
                groups.get(groups.size() - 1).add(term);
                orPending = false;
            } else {
                groups.add(new ArrayList<>(List.of(term)));
            }
        }
        if (orPending) {
            throw new BadQueryException("OR needs a word on each side (\"" + typed.strip() + "\").");
        }
        if (groups.isEmpty()) {
            throw new BadQueryException(excluded.isEmpty() ? "Nothing to search for: give a word."
                    : "Give at least one word to find, not only words to exclude.");
        }
        List<String> required = new ArrayList<>();
        for (List<Term> group : groups) {
            required.add(group.size() == 1 ? group.get(0).fts() : "(" + join(group, " OR ") + ")");
        }
        return new SearchQuery(typed.strip(), String.join(" OR ", required), required,
                excluded.isEmpty() ? null : join(excluded, " OR "));
    }

    /**
     * The entries to rank and show a snippet of: those with any of the required terms. The words must all
     * be in a chat, not in one message of it: {@link #required()} and {@link #excluded()} say which chats.
     */
    public String match() {
        return match;
    }

    /** One MATCH expression per term (or OR of terms) that a chat must hold somewhere. */
    public List<String> required() {
        return required;
    }

    /** The MATCH expression of the terms a chat must not hold anywhere, or null. */
    public String excluded() {
        return excluded;
    }

    /** The query as typed. */
    public String typed() {
        return typed;
    }

    private static String join(List<Term> terms, String operator) {
        StringBuilder joined = new StringBuilder();
        for (Term term : terms) {
            if (joined.length() > 0) {
                joined.append(operator);
            }
            joined.append(term.fts());
        }
        return joined.toString();
    }

    /**
     * Splits on white space, keeping quoted phrases whole (an unclosed quote runs to the end). A term
     * with no letter or digit (punctuation only) is dropped: the tokenizer would make nothing of it.
     */
    private static List<Term> terms(String typed) {
        List<Term> terms = new ArrayList<>();
        int i = 0;
        int n = typed.length();
        while (i < n) {
            char c = typed.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            boolean excluded = false;
            if (c == '-' && i + 1 < n && !Character.isWhitespace(typed.charAt(i + 1))) {
                excluded = true;
                i++;
                c = typed.charAt(i);
            }
            String text;
            boolean quoted = c == '"';
            if (quoted) {
                int end = typed.indexOf('"', i + 1);
                text = typed.substring(i + 1, end < 0 ? n : end);
                i = end < 0 ? n : end + 1;
            } else {
                int end = i;
                while (end < n && !Character.isWhitespace(typed.charAt(end))) {
                    end++;
                }
                text = typed.substring(i, end);
                i = end;
            }
            boolean prefix = false;
            if (quoted && i < n && typed.charAt(i) == '*') {
                prefix = true;
                i++;
            } else if (!quoted && text.endsWith("*")) {
                prefix = true;
                text = text.replaceAll("\\*+$", "");
            }
            if (!quoted && !excluded && text.equals("OR")) {
                terms.add(new Term(text, false, false, true));
            } else if (text.codePoints().anyMatch(Character::isLetterOrDigit)) {
                terms.add(new Term(text, prefix, excluded, false));
            }
        }
        return terms;
    }
}
