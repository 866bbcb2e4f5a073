package dev.claudebackup.verify;

import java.io.IOException;

/**
 * One check of the backup. A check of records (chats, projects, files) reads its own table through
 * {@code verification.savedChats().inState(...)}, reports each record's problem with the way to forget
 * that record, and claims the files its records own with {@link Verification#known}, so that the
 * unknown-files check does not report them. The checks run in the order of {@link Verification#CHECKS}:
 * the record checks first.
 */
public interface Check {

    /** What it checked, for the summary ("chats"), or null for a check that counts nothing. */
    String counted();

    /** Reports every problem with {@link Verification#problem}; returns how many things it checked. */
    int run(Verification verification) throws IOException;
}
