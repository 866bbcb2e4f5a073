package dev.claudebackup.report;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One organization's progress where there is no terminal (cron mail, Kubernetes logs): a line when
 * its list was read, a line every 100 chats or every interval, whichever comes first, and a line
 * when it is done, so a long run shows it is alive without flooding the log.
 */
final class ProgressLines implements Console.Progress {

    static final int EVERY_CHATS = 100;

    private final String organization;
    private final int total;
    private final long intervalNanos;
    private final Consumer<String> print;
    private final LongSupplier nanoTime;
    private final long startedNanos;
    private long lastLineNanos;
    private int done;
    private boolean closed;

    /**
     * @param print    where lines go (the console's info)
     * @param nanoTime the clock, {@code System::nanoTime}; tests pass their own
     */
    ProgressLines(String organization, int total, Duration interval, Consumer<String> print, LongSupplier nanoTime) {
        this.organization = organization;
        this.total = total;
        this.intervalNanos = interval.toNanos();
        this.print = print;
        this.nanoTime = nanoTime;
        this.startedNanos = nanoTime.getAsLong();
        this.lastLineNanos = startedNanos;
        if (total == 0) {
            print.accept(organization + ": nothing new to fetch");
            closed = true;
        } else {
            print.accept(organization + ": " + total + (total == 1 ? " chat" : " chats") + " to fetch");
        }
    }

    @Override
    public synchronized void step() {
        if (closed) {
            return;
        }
        done++;
        if (done >= total) {
            close();
            return;
        }
        long now = nanoTime.getAsLong();
        if (done % EVERY_CHATS == 0 || now - lastLineNanos >= intervalNanos) {
            lastLineNanos = now;
            print.accept(String.format(Locale.ROOT, "%s: %d of %d chats (%s)", organization, done, total, rateAndTimeLeft(now)));
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Duration took = Duration.ofNanos(nanoTime.getAsLong() - startedNanos);
        if (done >= total) {
            print.accept(String.format(Locale.ROOT, "%s: %d of %d chats done in %s", organization, done, total, Console.duration(took)));
        } else {
            print.accept(String.format(Locale.ROOT, "%s: stopped after %d of %d chats in %s; the next run fetches the rest",
                    organization, done, total, Console.duration(took)));
        }
    }

    private String rateAndTimeLeft(long now) {
        double seconds = Math.max(1e-3, (now - startedNanos) / 1e9);
        double perSecond = done / seconds;
        Duration left = Duration.ofMillis(Math.round((total - done) / perSecond * 1000));
        return String.format(Locale.ROOT, "%.1f chats/s, about %s left", perSecond, Console.duration(left));
    }
}
