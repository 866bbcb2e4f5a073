package dev.claudebackup.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Progress where there is no terminal: few, plain lines, driven by a clock the test moves. */
class ProgressLinesTest {

    private final List<String> lines = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private ProgressLines progress(int total) {
        return new ProgressLines("Personal (org)", total, Duration.ofSeconds(60), lines::add, nanos::get);
    }

    private void advanceSeconds(double seconds) {
        nanos.addAndGet(Math.round(seconds * 1e9));
    }

    @Test
    void saysHowManyChatsAreToFetchAndWhenTheOrganizationIsDone() {
        ProgressLines progress = progress(3);
        advanceSeconds(1);
        progress.step();
        progress.step();
        advanceSeconds(1.5);
        progress.step();

        assertEquals(List.of("Personal (org): 3 chats to fetch", "Personal (org): 3 of 3 chats done in 2.5s"), lines);
    }

    @Test
    void anOrganizationWithNothingNewGetsOneLine() {
        ProgressLines progress = progress(0);
        progress.step();
        progress.close();

        assertEquals(List.of("Personal (org): nothing new to fetch"), lines);
    }

    @Test
    void aLongRunPrintsALineEveryHundredChatsWithTheRateAndTheTimeLeft() {
        ProgressLines progress = progress(250);
        for (int i = 0; i < 100; i++) {
            advanceSeconds(0.1); // 10 chats a second
            progress.step();
        }

        assertEquals(2, lines.size(), lines.toString());
        assertEquals("Personal (org): 100 of 250 chats (10.0 chats/s, about 15.0s left)", lines.get(1));
    }

    @Test
    void aSlowRunPrintsALineOnceTheIntervalPassed() {
        ProgressLines progress = progress(50);
        advanceSeconds(59);
        progress.step();
        assertEquals(1, lines.size(), "not yet a minute: " + lines);
        advanceSeconds(2);
        progress.step();
        assertEquals("Personal (org): 2 of 50 chats (0.0 chats/s, about 24m24s left)", lines.get(1));
        advanceSeconds(30);
        progress.step();
        assertEquals(2, lines.size(), "the interval counts from the last line: " + lines);
    }

    @Test
    void aRunEndedEarlySaysWhereItStoppedOnceAndNeverCountsPastTheTotal() {
        ProgressLines progress = progress(5);
        progress.step();
        advanceSeconds(125);
        progress.close();
        progress.close();
        progress.step();

        assertEquals(List.of("Personal (org): 5 chats to fetch",
                "Personal (org): stopped after 1 of 5 chats in 2m05s; the next run fetches the rest"), lines);
    }
}
