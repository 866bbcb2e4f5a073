package dev.claudebackup.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.testing.Poll;

/**
 * A real headless Chromium opens the readable copy's own index page as {@code serve} serves it, types
 * a word that is in no chat's name or summary, and reads the full-text hit /api/search gave, then
 * follows it to the chat's page.
 */
class ServeBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path work;

    @Test
    void theServedPageFindsAWordInARealBrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM);
        try (SearchFixture backup = new SearchFixture(work)) {
            SampleAccount.Chat chat = backup.plain(backup.main, "<b>Tapas</b> evening", "2025-03-01T00:00:00.000000Z",
                    "Which tapas go with manchego?", "Try membrillo with it.");
            assertEquals(0, backup.backup().status().code());
            assertTrue(Files.isRegularFile(backup.dir.resolve("readable/index.html")), "the backup run wrote the readable copy");
            BackupFolder folder = new BackupFolder(backup.dir);
            SearchIndex index = new SearchIndex(folder);
            assertTrue(index.open());
            try (SearchServer server = SearchServer.start(folder, index, folder.root().resolve("readable"), "127.0.0.1", ServeTest.freePort())) {
                ChromeDriver browser = chromium();
                try {
                    browser.get(server.url());
                    browser.findElement(By.id("search")).sendKeys("membrillo");
                    Poll.until(Duration.ofSeconds(20), () -> !browser.findElements(By.cssSelector("#search-results li")).isEmpty(),
                            () -> "no result shown: " + browser.getPageSource());
                    List<WebElement> results = browser.findElements(By.cssSelector("#search-results li"));
                    assertEquals(1, results.size());
                    WebElement link = results.get(0).findElement(By.className("result-name"));
                    assertEquals("<b>Tapas</b> evening", link.getText(), "a name is text, never markup");
                    assertEquals("membrillo", results.get(0).findElement(By.tagName("mark")).getText(), "the matched word marked");
                    assertTrue(results.get(0).findElement(By.className("snippet")).getText().contains("membrillo"));
                    link.click();
                    Poll.until(Duration.ofSeconds(20), () -> browser.getCurrentUrl().contains(chat.uuid()),
                            () -> "the hit did not open the chat's page: " + browser.getCurrentUrl());
                    assertEquals("<b>Tapas</b> evening", browser.findElement(By.id("chat-name")).getText());
                } finally {
                    browser.quit();
                }
            }
        }
    }

    /**
     * An HTML artifact (claude.ai's content) opened from the served copy: its script would read every
     * conversation through /api/search in this origin. It never runs: the page is sandboxed.
     */
    @Test
    void anArtifactsScriptNeverRunsNorReadsTheSearch() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM);
        try (SearchFixture backup = new SearchFixture(work)) {
            SampleAccount.Chat chat = backup.plain(backup.main, "Tapas evening", "2025-03-01T00:00:00.000000Z",
                    "Which tapas go with manchego?", "Try membrillo with it.");
            assertEquals(0, backup.backup().status().code());
            String page = "/" + ChatFileNamer.slug(backup.main.name(), backup.main.uuid()) + "/" + ChatFileNamer.slug(chat.name(), chat.uuid())
                    + "/artifacts/evil.html";
            Path artifact = backup.dir.resolve("readable" + page);
            Files.createDirectories(artifact.getParent());
            // an inline script and one of the artifact's folder (the pages' own policy lets only the second run)
            Files.writeString(artifact, "<!doctype html><title>artifact</title><p id=shown>the artifact</p>"
                    + "<script>document.title = 'ran';</script><script src=evil.js></script>");
            Files.writeString(artifact.resolveSibling("evil.js"),
                    "fetch('/api/search?q=membrillo').then(r => r.text()).then(t => { document.title = 'read ' + t; });");
            BackupFolder folder = new BackupFolder(backup.dir);
            SearchIndex index = new SearchIndex(folder);
            assertTrue(index.open());
            try (SearchServer server = SearchServer.start(folder, index, folder.root().resolve("readable"), "127.0.0.1", ServeTest.freePort())) {
                ChromeDriver browser = chromium();
                try {
                    // the same page under a name outside artifacts/ runs (the test can tell a script that ran)
                    Files.copy(artifact, backup.dir.resolve("readable/control.html"));
                    Files.copy(artifact.resolveSibling("evil.js"), backup.dir.resolve("readable/evil.js"));
                    browser.get(server.url() + "control.html");
                    Poll.until(Duration.ofSeconds(20), () -> browser.getTitle().startsWith("read ") && browser.getTitle().contains("membrillo"),
                            () -> "the control page's script did not read the search: " + browser.getTitle());

                    browser.get(server.url() + page.substring(1));
                    assertEquals("the artifact", browser.findElement(By.id("shown")).getText(), "the artifact is still shown");
                    Thread.sleep(2000); // what a script would have done by now
                    assertEquals("artifact", browser.getTitle(), "the artifact's script ran");
                } finally {
                    browser.quit();
                }
            }
        }
    }

    /** Debian's headless Chromium through its chromedriver (Selenium Manager cannot download drivers here). */
    private ChromeDriver chromium() throws java.io.IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(work.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
