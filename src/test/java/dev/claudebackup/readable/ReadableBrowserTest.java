package dev.claudebackup.readable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.claudebackup.report.Console;

/**
 * The readable copy in a real headless Chromium, opened from file:// as a person would open it, and
 * served over http by a tiny loopback server that answers /api/search the way {@code serve} does
 * (CONTRACTS.md point 6).
 */
class ReadableBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path dir;
    static ReadableFixture backup;
    static WebDriver browser;
    static String threeTurnsUuid = UUID.randomUUID().toString();

    @BeforeAll
    static void openBrowser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM);
        backup = new ReadableFixture(dir.resolve("backup"));
        backup.plainChat("Three turns", threeTurnsUuid, 3, true, "2025-06-04T10:00:00.000000Z");
        for (int i = 0; i < 30; i++) {
            backup.plainChat("Filler chat " + i, UUID.randomUUID().toString(), 1, false, "2025-05-" + (10 + i % 18) + "T10:00:00.000000Z");
        }
        assertEquals(0, new ReadableCopy(backup.backup, "readable", new Console(System.out, System.err, true)).rebuild());
        browser = start();
    }

    static WebDriver start() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"), "--window-size=1200,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    static void open(Path file) {
        browser.get(file.toUri().toString());
    }

    static Object script(String code, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(code, arguments);
    }

    static WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(10));
    }

    static List<String> shownNames() {
        return browser.findElements(By.cssSelector("#chat-rows td.name a")).stream().map(WebElement::getText).toList();
    }

    @Test
    void theIndexShowsEveryChatAndTheFilterNarrows() {
        open(backup.readable().resolve("index.html"));
        waiting().until(driver -> shownNames().size() == 33);
        Set<String> names = Set.copyOf(shownNames());
        assertTrue(names.contains(backup.richName), names.toString());
        assertTrue(names.contains(ReadableFixture.HOSTILE_NAME), "a hostile name is shown as text: " + names);
        assertTrue(names.contains("Three turns"), names.toString());
        assertEquals(ReadableFixture.HOSTILE_NAME, shownNames().get(1), "newest first");
        assertEquals("undefined", script("return typeof window.__pwned"), "nothing of a chat ran");

        WebElement search = browser.findElement(By.id("search"));
        search.sendKeys("garden");
        waiting().until(driver -> shownNames().size() == 1);
        assertEquals(List.of(backup.richName), shownNames(), "by name and summary");
        search.clear();
        search.sendKeys("every kind of block");
        waiting().until(driver -> shownNames().equals(List.of(backup.richName)));
        search.clear();
        search.sendKeys("FILLER 7");
        waiting().until(driver -> shownNames().size() == 3);
        assertEquals(Set.of("Filler chat 7", "Filler chat 17", "Filler chat 27"), Set.copyOf(shownNames()), "every word, any case");
        search.clear();
        search.sendKeys(" ");
        waiting().until(driver -> shownNames().size() == 33);

        browser.findElement(By.cssSelector("th button[data-sort=name]")).click();
        waiting().until(driver -> shownNames().get(0).equals(ReadableFixture.HOSTILE_NAME)); // "<" sorts first
        assertEquals(backup.richName, shownNames().get(1));
        browser.findElement(By.cssSelector("th button[data-sort=name]")).click();
        waiting().until(driver -> shownNames().get(0).equals("Three turns"));

        WebElement project = browser.findElement(By.id("project-" + backup.projectUuid));
        assertTrue(project.getText().contains("Garden planner") && project.getText().contains("soil.md"), project.getText());
    }

    @Test
    void aLinkOpensTheChatAndABranchSwitchShowsTheOtherBranch() {
        open(backup.readable().resolve("index.html"));
        waiting().until(driver -> !shownNames().isEmpty());
        browser.findElement(By.linkText(backup.richName)).click();
        waiting().until(driver -> driver.findElement(By.id("chat-name")).getText().equals(backup.richName));

        WebElement first = browser.findElement(By.id("m-" + backup.firstAnswer));
        WebElement retried = browser.findElement(By.id("m-" + backup.retriedAnswer));
        assertTrue(first.isDisplayed(), "the branch claude.ai shows");
        assertFalse(retried.isDisplayed(), "one branch at a time");
        assertTrue(first.getText().contains("Tomatoes like basil, see the docs"), first.getText());
        WebElement question = browser.findElement(By.cssSelector(".message.human .typed"));
        assertTrue(question.getText().contains("#include <beds>") && question.getText().contains("my_bed_size * 2 = **big**"),
                "a person's message as typed: " + question.getText());
        assertTrue(browser.findElements(By.cssSelector(".message.human h1, .message.human em, .message.human strong")).isEmpty(),
                "not read as Markdown");
        WebElement fork = browser.findElement(By.cssSelector("nav.fork"));
        assertEquals("1 / 2", fork.findElement(By.className("fork-position")).getText());

        fork.findElement(By.className("fork-next")).click();

        waiting().until(driver -> driver.findElement(By.id("m-" + backup.retriedAnswer)).isDisplayed());
        assertFalse(browser.findElement(By.id("m-" + backup.firstAnswer)).isDisplayed());
        assertTrue(browser.findElement(By.id("m-" + backup.retriedAnswer)).getText().contains("Retried answer with a tag"));
        assertEquals("2 / 2", browser.findElement(By.cssSelector("nav.fork .fork-position")).getText());
        assertFalse(browser.getPageSource().contains("That was the tag.") && !browser.findElement(By.id("m-" + backup.retriedAnswer))
                .getText().contains("That was the tag."), "the text around an <antArtifact> tag is kept");
        assertTrue(browser.findElement(By.linkText("Old notes")).getAttribute("href").endsWith("/artifacts/old-notes.md"));

        browser.findElement(By.cssSelector("nav.fork .fork-previous")).click();
        waiting().until(driver -> driver.findElement(By.id("m-" + backup.firstAnswer)).isDisplayed());

        browser.findElement(By.id("all-branches")).click();
        waiting().until(driver -> driver.findElement(By.id("m-" + backup.retriedAnswer)).isDisplayed());
        assertTrue(browser.findElement(By.id("m-" + backup.firstAnswer)).isDisplayed(), "every branch at once");
        assertEquals("undefined", script("return typeof window.__pwned"));
    }

    @Test
    void imagesShowAndBlocksFold() {
        open(backup.page(backup.richName, backup.richUuid));
        WebElement image = browser.findElement(By.cssSelector("figure.file img"));
        waiting().until(driver -> ((Number) script("return arguments[0].complete ? arguments[0].naturalWidth : 0", image)).intValue() > 0);
        assertEquals(40L, ((Number) script("return arguments[0].naturalWidth", image)).longValue());
        assertTrue(browser.findElement(By.xpath("//figcaption[contains(., 'lost.png')]")).getText().contains("not in the backup"));

        WebElement thinking = browser.findElement(By.cssSelector("details.thinking"));
        assertFalse(thinking.getAttribute("open") != null, "folded");
        thinking.findElement(By.tagName("summary")).click();
        assertTrue(thinking.getText().contains("Thinking about soil and sun"));
        WebElement citation = browser.findElement(By.cssSelector(".citations a"));
        assertEquals("https://example.org/companions", citation.getAttribute("href"));
        assertEquals("undefined", script("return typeof window.__pwned"));
    }

    @Test
    void aHostileChatShowsAsTextAndRunsNothing() {
        open(backup.page(ReadableFixture.HOSTILE_NAME, backup.hostileUuid));
        waiting().until(driver -> "complete".equals(script("return document.readyState")));
        assertEquals(ReadableFixture.HOSTILE_NAME, browser.findElement(By.id("chat-name")).getText());
        assertEquals(ReadableFixture.HOSTILE_NAME, browser.getTitle());
        String text = browser.findElement(By.id("chat")).getText();
        assertTrue(text.contains("<script>window.__pwned=6</script>"), text);
        assertTrue(text.contains("<iframe src=\"javascript:window.__pwned=8\"></iframe>"), text);
        assertTrue(browser.findElements(By.cssSelector("#chat img, #chat iframe, #chat script")).isEmpty());
        assertEquals("undefined", script("return typeof window.__pwned"), "nothing of the chat ran");

        open(backup.page(backup.richName, backup.richUuid));
        assertTrue(browser.findElement(By.id("chat")).getText().contains("<script>window.__pwned=2</script>"));
        assertEquals("undefined", script("return typeof window.__pwned"));
        assertTrue(browser.findElements(By.cssSelector("a[href^='javascript']")).isEmpty());
    }

    @Test
    void servedOverHttpTheSearchBoxAlsoAsksTheServer() throws IOException {
        List<String> queries = new CopyOnWriteArrayList<>();
        String page = backup.orgSlug + "/" + dev.claudebackup.store.ChatFileNamer.slug(backup.richName, backup.richUuid) + ".html";
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/search", exchange -> {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            queries.add(query.get("q"));
            ObjectNode answer = ReadableFixture.MAPPER.createObjectNode();
            answer.put("query", query.get("q"));
            ObjectNode hit = answer.putArray("results").addObject();
            hit.put("url", "https://claude.ai/chat/" + backup.richUuid);
            hit.put("kind", "chat");
            hit.put("uuid", backup.richUuid);
            hit.put("name", "<img src=x onerror=window.__pwned=9>");
            hit.put("organization", "Personal");
            hit.put("project", "Garden planner");
            hit.put("updated_at", "2025-06-02T10:00:00.000000Z");
            hit.put("snippet", "plant [" + query.get("q") + "] beside <b>basil</b>");
            hit.put("message_uuid", backup.firstAnswer);
            hit.put("on_current_branch", true);
            hit.put("page", page);
            send(exchange, 200, "application/json", ReadableFixture.MAPPER.writeValueAsBytes(answer));
        });
        server.createContext("/", exchange -> {
            String path = URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
            Path file = backup.readable().resolve(path.equals("/") ? "index.html" : path.substring(1)).normalize();
            if (!file.startsWith(backup.readable()) || !Files.isRegularFile(file)) {
                send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String name = file.getFileName().toString();
            String type = name.endsWith(".html") ? "text/html; charset=utf-8" : name.endsWith(".js") ? "text/javascript"
                    : name.endsWith(".css") ? "text/css" : name.endsWith(".png") ? "image/png" : "application/octet-stream";
            send(exchange, 200, type, Files.readAllBytes(file));
        });
        server.start();
        try {
            browser.get("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            waiting().until(driver -> shownNames().size() == 33);
            browser.findElement(By.id("search")).sendKeys("tomato");
            waiting().until(driver -> !driver.findElements(By.cssSelector("#search-results li")).isEmpty());

            assertEquals(List.of("tomato"), queries.stream().distinct().collect(Collectors.toList()), "debounced: one query as typed");
            WebElement hit = browser.findElement(By.cssSelector("#search-results li"));
            assertEquals("<img src=x onerror=window.__pwned=9>", hit.findElement(By.className("result-name")).getText());
            assertEquals("tomato", hit.findElement(By.tagName("mark")).getText(), "the bracketed words marked");
            assertEquals("plant tomato beside <b>basil</b>", hit.findElement(By.className("snippet")).getText());
            assertTrue(hit.findElement(By.className("result-name")).getAttribute("href").endsWith("#m-" + backup.firstAnswer));
            assertEquals(0, shownNames().size(), "no name nor summary has it: the hits are the server's");
            assertEquals("undefined", script("return typeof window.__pwned"));

            hit.findElement(By.className("result-name")).click();
            waiting().until(driver -> driver.findElement(By.id("chat-name")).getText().equals(backup.richName));
            assertTrue(browser.findElement(By.id("m-" + backup.firstAnswer)).isDisplayed());
        } finally {
            server.stop(0);
        }
    }

    private static Map<String, String> query(String raw) {
        return java.util.Arrays.stream(raw == null ? new String[0] : raw.split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(pair -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                        pair -> pair.length > 1 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : "", (a, b) -> a));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
