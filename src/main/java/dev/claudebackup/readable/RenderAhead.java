package dev.claudebackup.readable;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Renders the chats a run saves while the run goes on, in batches, on a thread of its own. A backup paced
 * by the network leaves the cores idle between answers: rendered after the last fetch instead, a first
 * backup of 2,000 chats at 50 ms spent a quarter of a second more (bench/RESULTS.md, case 1). In batches,
 * because a chat rendered alone, between two answers, found the code and its data out of the caches and
 * cost half as much again as one in a row of them. Only while a core is idle: beside fetches that keep
 * both cores busy (no latency, no delay) the same pages cost a twentieth more of the whole backup's CPU,
 * and gain nothing. The run's end stops it ({@link #stop}) and renders what it did not get to, on every
 * core.
 */
final class RenderAhead {

    /** Rendering one chat; an exception is seen again when the run's end renders that chat itself. */
    interface Job {
        void render() throws IOException;
    }

    /** Chats rendered in a row (about 35 ms of work): warm caches, and little left for the run's end. */
    static final int BATCH = 100;
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private final ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            job -> {
                Thread made = new Thread(job, "readable-render");
                made.setDaemon(true); // never what keeps the process alive
                return made;
            });
    private final Set<String> rendered = ConcurrentHashMap.newKeySet();

    private List<Runnable> gathering = new ArrayList<>();
    private long gatheringSince;
    private long cpuBefore;
    /** A batch renders while this is the one it was queued under; {@link #stop} moves it on. */
    private volatile int generation;
    /** A batch was queued since the last stop: the next one waits for it. */
    private boolean queued;

    /** The process's CPU time in nanoseconds, or -1 when the platform does not say. */
    private final LongSupplier processCpuNanos;

    RenderAhead() {
        this(RenderAhead::cpuOfThisProcess);
    }

    RenderAhead(LongSupplier processCpuNanos) {
        this.processCpuNanos = processCpuNanos;
        thread.allowCoreThreadTimeOut(true); // between the runs of --schedule, no thread
    }

    /** Queues the chat's rendering; once done, {@link #rendered} says so. */
    void render(String chatFile, Job job) {
        synchronized (this) {
            if (gathering.isEmpty()) {
                gatheringSince = System.nanoTime();
                cpuBefore = processCpuNanos.getAsLong();
            }
            gathering.add(() -> {
                try {
                    job.render();
                    rendered.add(chatFile);
                } catch (IOException | RuntimeException e) {
                    // not rendered: the run's end renders it again, and reports it if it fails there too
                }
            });
            if (gathering.size() < BATCH) {
                return;
            }
            List<Runnable> full = gathering;
            gathering = new ArrayList<>();
            if (!aCoreWasIdle()) {
                return; // the fetches keep the cores busy: rendered beside them it costs more, so at the run's end
            }
            int mine = generation;
            queued = true;
            thread.execute(() -> {
                for (Runnable chat : full) {
                    if (generation != mine) {
                        return; // stopped: the run's end renders the rest, or the next run
                    }
                    chat.run();
                }
            });
        }
    }

    /**
     * Whether the process left a core idle, on average, while the batch was saved (a backup waiting on the
     * network, not one that saves as fast as the cores can): the process's CPU time, the rendering of the
     * batch before counted in, under one core a second less than it has (half a core on a machine of one).
     * Unknown: no.
     */
    private boolean aCoreWasIdle() {
        return aCoreWasIdle(cpuBefore, processCpuNanos.getAsLong(), System.nanoTime() - gatheringSince, CORES);
    }

    static boolean aCoreWasIdle(long cpuBefore, long cpuAfter, long wallNanos, int cores) {
        if (cpuBefore < 0 || cpuAfter < 0 || wallNanos <= 0) {
            return false;
        }
        double coresBusy = (double) (cpuAfter - cpuBefore) / wallNanos;
        return coresBusy < Math.max(cores - 1, 0.5);
    }

    private static long cpuOfThisProcess() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** Whether this run rendered the chat file ahead (it may have changed since: the index's row tells). */
    boolean rendered(String chatFile) {
        return rendered.contains(chatFile);
    }

    /**
     * Drops the chats not begun and waits for the one at hand, so that no file of it is left half made: the
     * run's end renders the rest, or leaves them to the next run (a stopped run).
     */
    void stop() throws InterruptedIOException {
        synchronized (this) {
            generation++;
            gathering = new ArrayList<>();
            thread.getQueue().clear();
            if (!queued) {
                return; // nothing rendered ahead: no thread to wait for (or to start)
            }
            queued = false;
        }
        try {
            thread.submit(() -> { }).get(); // one thread, in order: the chat at hand is done before it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while a chat was rendered");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A new run begins: nothing rendered ahead yet. */
    void forget() {
        rendered.clear();
    }
}
