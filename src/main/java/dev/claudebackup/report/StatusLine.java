package dev.claudebackup.report;

import java.io.PrintStream;

import me.tongfei.progressbar.ProgressBarConsumer;

/**
 * stderr's bottom line on a terminal, where the progress bar is drawn over and over (a carriage
 * return, then the bar). Any other line, on stderr or stdout, is printed above it: the bar is wiped,
 * the line printed, and the bar drawn again below, so the two never run into each other.
 */
final class StatusLine {

    private static final String CLEAR_TO_END_OF_LINE = "\u001b[K";

    private final PrintStream err;
    private final int columns;
    /** What the line shows now; null when no bar is shown. Guarded by this. */
    private String shown;

    StatusLine(PrintStream err, int columns) {
        this.err = err;
        this.columns = columns;
    }

    synchronized void show(String rendered) {
        shown = rendered;
        err.print("\r" + rendered + CLEAR_TO_END_OF_LINE);
        err.flush();
    }

    /** The bar is done: its last state stays on screen as an ordinary line. */
    synchronized void release() {
        if (shown != null) {
            err.println();
            err.flush();
            shown = null;
        }
    }

    synchronized void printAbove(Runnable print) {
        if (shown != null) {
            err.print("\r" + CLEAR_TO_END_OF_LINE);
            err.flush();
        }
        print.run();
        if (shown != null) {
            err.print(shown);
            err.flush();
        }
    }

    /** What the progressbar library draws through; one bar at a time (organizations go one by one). */
    ProgressBarConsumer consumer() {
        return new ProgressBarConsumer() {
            @Override
            public int getMaxRenderedLength() {
                return columns - 1; // the last column would wrap on some terminals
            }

            @Override
            public void accept(String rendered) {
                show(rendered);
            }

            @Override
            public void close() {
                release();
            }
        };
    }
}
