package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/**
 * Issue 16, point 12: an overall deadline per request. A server that trickles its answer one byte every
 * 2 s never trips a 3 s response timeout, and held the run (and its lock) for as long as it liked.
 */
class RequestDeadlineTest {

    @TempDir
    Path dir;
    ApiFixture fixture;
    HttpServer slowLoris;
    final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        fixture = new ApiFixture(1);
        slowLoris = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        slowLoris.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "slow-loris");
            thread.setDaemon(true);
            return thread;
        }));
        slowLoris.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] account = fixture.account.accountJson();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, account.length);
            try (OutputStream out = exchange.getResponseBody()) {
                for (byte b : account) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(2000);
                }
            } catch (Exception closedByTheClient) {
                // the deadline closed the connection
            }
        });
        slowLoris.start();
    }

    @AfterEach
    void stop() {
        slowLoris.stop(0);
        fixture.close();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void anAnswerTricklingOneByteEveryTwoSecondsFailsAtTheDeadlineAndIsRetriedAsATimeout() throws Exception {
        fixture.environment.put("BACKUP_RESPONSE_TIMEOUT", "3000");
        fixture.environment.put("BACKUP_REQUEST_DEADLINE", "3");

        BackupRunner.Result result = fixture.backup(dir, "--base-url", "http://127.0.0.1:" + slowLoris.getAddress().getPort(),
                "--retries", "1");

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertEquals(2, requests.get(), "tried, then retried once");
        assertTrue(result.stderr().contains("Retrying the account after no answer in time (the whole answer did not come"
                + " within the request deadline of 3 s)"), result.stderr());
        assertTrue(result.stderr().contains("Could not fetch the account: no answer in time"), result.stderr());
        assertFalse(Files.exists(dir.resolve("account.json")));
    }
}
