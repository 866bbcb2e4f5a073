package dev.claudebackup.readable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.claudebackup.testing.Poll;

/**
 * Rendering ahead: a batch renders only when a core was idle while it was gathered, a stop drops what
 * is not begun and waits for the chat at hand, and a chat that fails is simply not marked rendered.
 */
class RenderAheadTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aCoreIsIdleWhenTheProcessUsedLessThanAllButOne() {
        assertTrue(RenderAhead.aCoreWasIdle(0, SECOND / 2, SECOND, 2), "half a core of two");
        assertFalse(RenderAhead.aCoreWasIdle(0, 3 * SECOND / 2, SECOND, 2), "one and a half of two");
        assertTrue(RenderAhead.aCoreWasIdle(0, 2 * SECOND, SECOND, 4), "two of four");
        assertTrue(RenderAhead.aCoreWasIdle(0, SECOND / 4, SECOND, 1), "a quarter of one");
        assertFalse(RenderAhead.aCoreWasIdle(0, 3 * SECOND / 4, SECOND, 1), "three quarters of one");
        assertFalse(RenderAhead.aCoreWasIdle(-1, SECOND / 4, SECOND, 2), "the CPU time unknown");
        assertFalse(RenderAhead.aCoreWasIdle(0, 0, 0, 2), "no time passed");
    }

    @Test
    void aBatchRendersWhileTheCoresAreIdleAndNotWhileTheyAreBusy() throws Exception {
        AtomicLong cpu = new AtomicLong();
        RenderAhead idle = new RenderAhead(cpu::get); // the process's CPU time never moves: idle
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < RenderAhead.BATCH - 1; i++) {
            idle.render("chat-" + i, done::incrementAndGet);
        }
        Thread.sleep(50);
        assertEquals(0, done.get(), "not before the batch is full");
        idle.render("chat-last", done::incrementAndGet);
        Poll.until(Duration.ofSeconds(10), () -> done.get() == RenderAhead.BATCH, () -> "the batch rendered");
        assertTrue(idle.rendered("chat-0") && idle.rendered("chat-last"));

        RenderAhead busy = new RenderAhead(() -> cpu.addAndGet(60 * SECOND)); // a minute of CPU at every look
        AtomicInteger busyDone = new AtomicInteger();
        for (int i = 0; i < RenderAhead.BATCH; i++) {
            busy.render("chat-" + i, busyDone::incrementAndGet);
        }
        busy.stop();
        assertEquals(0, busyDone.get(), "left for the run's end");
        assertFalse(busy.rendered("chat-0"));
    }

    @Test
    void aStopDropsWhatIsNotBegunAndWaitsForTheChatAtHand() throws Exception {
        RenderAhead ahead = new RenderAhead(() -> 0);
        CountDownLatch begun = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger done = new AtomicInteger();
        ahead.render("slow", () -> {
            begun.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.incrementAndGet();
        });
        for (int i = 1; i < RenderAhead.BATCH; i++) {
            ahead.render("chat-" + i, done::incrementAndGet);
        }
        for (int i = 0; i < RenderAhead.BATCH; i++) {
            ahead.render("next-" + i, done::incrementAndGet); // a second batch, queued behind the first
        }
        assertTrue(begun.await(10, TimeUnit.SECONDS));

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
            try {
                ahead.stop();
            } catch (java.io.InterruptedIOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertFalse(stopped.isDone(), "the stop waits for the chat at hand");
        release.countDown();
        stopped.get(10, TimeUnit.SECONDS);

        assertEquals(1, done.get(), "the chat at hand finished, nothing after it begun");
        assertTrue(ahead.rendered("slow"));
        assertFalse(ahead.rendered("chat-1") || ahead.rendered("next-0"));

        ahead.forget();
        for (int i = 0; i < RenderAhead.BATCH; i++) {
            ahead.render("again-" + i, done::incrementAndGet);
        }
        Poll.until(Duration.ofSeconds(10), () -> done.get() == 1 + RenderAhead.BATCH, () -> "the next run's batch rendered");
        assertFalse(ahead.rendered("slow"), "forgotten with the run");
    }

    @Test
    void aChatThatFailsIsNotMarkedRendered() throws Exception {
        RenderAhead ahead = new RenderAhead(() -> 0);
        AtomicInteger done = new AtomicInteger();
        ahead.render("broken", () -> {
            throw new java.io.IOException("a folder where its page would go");
        });
        for (int i = 1; i < RenderAhead.BATCH; i++) {
            ahead.render("chat-" + i, done::incrementAndGet);
        }
        Poll.until(Duration.ofSeconds(10), () -> done.get() == RenderAhead.BATCH - 1, () -> "the rest of the batch rendered");
        assertFalse(ahead.rendered("broken"), "the run's end renders it again, and reports it");
        assertTrue(ahead.rendered("chat-1"));
    }
}
