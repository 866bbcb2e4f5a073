package dev.claudebackup.report;

import java.nio.charset.Charset;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One organization's live bar on a terminal: chats done of chats to fetch, the rate and the time
 * left, redrawn twice a second by the progressbar library. It closes itself at the last chat, leaving
 * its final state on screen.
 */
final class ProgressBarDisplay implements Console.Progress {

    /** Room for the bar itself: longer names are cut. */
    private static final int MAX_TASK_LENGTH = 24;

    private final ProgressBar bar;
    private final StatusLine line;
    private final int total;
    private int done;
    private boolean closed;

    ProgressBarDisplay(String organization, int total, StatusLine line) {
        this.total = total;
        this.line = line;
        this.bar = new ProgressBarBuilder()
                .setTaskName(taskName(organization))
                .setInitialMax(total)
                .setUnit(" chats", 1)
                .showSpeed()
                .setStyle(canShowBlocks() ? ProgressBarStyle.UNICODE_BLOCK : ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .continuousUpdate()
                .setConsumer(line.consumer())
                .build();
    }

    @Override
    public synchronized void step() {
        if (closed) {
            return;
        }
        done++;
        bar.step();
        if (done >= total) {
            close();
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            bar.close();
            // The library leaves the line open when it never drew before closing (a bar done at once).
            line.release();
        }
    }

    /** The organization's name without the uuid its label ends with, cut to fit. */
    static String taskName(String organizationLabel) {
        String name = organizationLabel.replaceFirst(" \\([0-9a-fA-F-]{36}\\)$", "");
        return name.length() <= MAX_TASK_LENGTH ? name : name.substring(0, MAX_TASK_LENGTH - 1) + "~";
    }

    /** Block characters only where stderr's encoding has them (not under LANG=C): else ASCII. */
    private static boolean canShowBlocks() {
        String encoding = System.getProperty("stderr.encoding", System.getProperty("sun.stderr.encoding"));
        Charset charset = encoding != null && Charset.isSupported(encoding) ? Charset.forName(encoding) : Charset.defaultCharset();
        return charset.newEncoder().canEncode('\u2588');
    }
}
