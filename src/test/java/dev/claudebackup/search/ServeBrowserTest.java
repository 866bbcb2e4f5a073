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
import dev.claudebackup.testing.Poll;

/**
 * A real headless Chromium opens the served page and shows a hit from /api/search. The page here is a
 * tiny one of the test's own (readable/index.html is the readable copy's work): it asks the endpoint
 * as the contract says and sets every string as text.
 */
class ServeBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    static final String PAGE = """
            <!doctype html>
            <meta charset="utf-8">
            <title>Search</title>
            <input id="search"><ol id="search-results"></ol>
            <p id="status"></p>
            <script>
            let latest = 0;
            document.getElementById('search').addEventListener('input', async (event) => {
              const mine = ++latest;
              let json;
              try {
                const answer = await fetch('/api/search?q=' + encodeURIComponent(event.target.value));
                json = await answer.json();
              } catch (e) {
                document.getElementById('status').textContent = 'failed: ' + e;
                return;
              }
              if (mine !== latest || !json.results) {
                return; // an answer to an older keystroke, or to a query that cannot be searched
              }
              const list = document.getElementById('search-results');
              list.replaceChildren(...json.results.map(hit => {
                const item = document.createElement('li');
                const link = document.createElement('a');
                link.href = hit.url;
                link.textContent = hit.name;
                const snippet = document.createElement('span');
                snippet.className = 'snippet';
                snippet.textContent = hit.snippet;
                item.append(link, ' ', snippet);
                return item;
              }));
            });
            </script>
            """;

    @TempDir
    Path work;

    @Test
    void theServedPageFindsAWordInARealBrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM);
        try (SearchFixture backup = new SearchFixture(work)) {
            SampleAccount.Chat chat = backup.plain(backup.main, "<b>Tapas</b> evening", "2025-03-01T00:00:00.000000Z",
                    "Which tapas go with manchego?", "Try membrillo with it.");
            assertEquals(0, backup.backup().status().code());
            Files.createDirectories(backup.dir.resolve("readable"));
            Files.writeString(backup.dir.resolve("readable/index.html"), PAGE);
            BackupFolder folder = new BackupFolder(backup.dir);
            SearchIndex index = new SearchIndex(folder);
            assertTrue(index.open());
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + Files.createDirectories(work.resolve("chromium-profile")));
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                    .usingAnyFreePort().build();
            try (SearchServer server = SearchServer.start(folder, index, "127.0.0.1", ServeTest.freePort())) {
                ChromeDriver browser = new ChromeDriver(service, options);
                try {
                    browser.get(server.url());
                    browser.findElement(By.id("search")).sendKeys("membrillo");
                    Poll.until(Duration.ofSeconds(20), () -> !browser.findElements(By.cssSelector("#search-results li")).isEmpty(),
                            () -> "no result shown: " + browser.getPageSource());
                    List<WebElement> results = browser.findElements(By.cssSelector("#search-results li"));
                    assertEquals(1, results.size());
                    WebElement link = results.get(0).findElement(By.tagName("a"));
                    assertEquals("https://claude.ai/chat/" + chat.uuid(), link.getAttribute("href"));
                    assertEquals("<b>Tapas</b> evening", link.getText(), "a name is text, never markup");
                    assertTrue(results.get(0).findElement(By.className("snippet")).getText().contains("[membrillo]"));
                } finally {
                    browser.quit();
                }
            }
        }
    }
}
