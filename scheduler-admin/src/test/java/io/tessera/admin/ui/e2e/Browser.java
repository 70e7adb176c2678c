package io.tessera.admin.ui.e2e;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Headless Debian Chromium driven through chromedriver, with the waits a Vaadin page needs (it renders
 * after {@code load}, and a server round trip follows every click). The binaries are
 * {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} unless the environment variables
 * {@code TESSERA_CHROMIUM} and {@code TESSERA_CHROMEDRIVER} name others; {@code scripts/test.sh} checks the same paths.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = binary("TESSERA_CHROMIUM", "/usr/bin/chromium");
    static final Path CHROMEDRIVER = binary("TESSERA_CHROMEDRIVER", "/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final WebDriverWait wait;
    private final Path screenshots;
    private final String baseUrl;

    Browser(String baseUrl, Path screenshots) throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the end-to-end UI test needs Chromium at " + CHROMIUM + " and chromedriver at "
                    + CHROMEDRIVER + ": apt-get install -y chromium chromium-driver (scripts/test.sh checks and installs them)");
        }
        this.baseUrl = baseUrl;
        this.screenshots = Files.createDirectories(screenshots);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + Files.createTempDirectory("tessera-chromium-"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100));
        resize(1280, 800);
    }

    private static Path binary(String env, String fallback) {
        String value = System.getenv(env);
        return Path.of(value == null || value.isBlank() ? fallback : value);
    }

    void open(String path) {
        driver.get(baseUrl + path);
        settle();
    }

    /** Makes the page's viewport (not the window around it) this size. */
    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        @SuppressWarnings("unchecked")
        java.util.List<Long> inner = (java.util.List<Long>) driver.executeScript("return [window.innerWidth, window.innerHeight];");
        driver.manage().window().setSize(new Dimension(2 * width - inner.get(0).intValue(), 2 * height - inner.get(1).intValue()));
    }

    /** Waits for an element that is on the page (not necessarily visible). */
    WebElement find(String css) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    WebElement visible(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    boolean present(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    /** Scrolls so that the element is at the top of its scrolling area (for a screenshot of what follows it). */
    void scrollToTop(String css) {
        driver.executeScript("arguments[0].scrollIntoView({block: 'start'});", find(css));
    }

    /** Clicks without waiting for the server's answer (for timing what follows). */
    void clickNow(String css) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    /** Scrolls the element into view, as a person would, waits until it can be clicked, and clicks. */
    void click(String css) {
        WebElement element = find(css);
        driver.executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
        wait.until(ExpectedConditions.elementToBeClickable(element)).click();
        settle();
    }

    /** Types into a Vaadin field (its slotted {@code input}/{@code textarea}) and commits the value. */
    void type(String fieldCss, String text) {
        WebElement input = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector(fieldCss + " input, " + fieldCss + " textarea")));
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        input.sendKeys(text);
        input.sendKeys(Keys.TAB);
        settle();
    }

    /** Opens a {@code vaadin-select} or combo box and picks the item with that text. */
    void choose(String fieldCss, String item) {
        click(fieldCss);
        By option = By.xpath("//vaadin-select-item[normalize-space(.)='" + item + "'] | //vaadin-combo-box-item[normalize-space(.)='"
                + item + "']");
        wait.until(ExpectedConditions.elementToBeClickable(option)).click();
        settle();
    }

    void waitForAnyText(String css) {
        wait.until(d -> !d.findElement(By.cssSelector(css)).getText().isBlank());
    }

    void waitForText(String css, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    void waitUntil(String description, java.util.function.BooleanSupplier condition, Duration within) {
        new WebDriverWait(driver, within, Duration.ofMillis(250)).withMessage(description).until(d -> condition.getAsBoolean());
    }

    /** Waits until a cell of that grid shows exactly {@code text}: a row is on screen, not just loaded. */
    void waitForCellText(String gridCss, String text, Duration within) {
        new WebDriverWait(driver, within, Duration.ofMillis(10)).withMessage(gridCss + " shows no cell '" + text + "'")
                .until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                        "const g = document.querySelector(arguments[0]);"
                                + "return !!g && Array.from(g.querySelectorAll('vaadin-grid-cell-content'))"
                                + ".some(c => c.textContent.trim() === arguments[1]);", gridCss, text)));
    }

    int count(String css) {
        return driver.findElements(By.cssSelector(css)).size();
    }

    /** How many pixels the page is wider than the window: more than 0 means sideways scrolling. */
    long horizontalOverflow() {
        settle();
        return (Long) ((JavascriptExecutor) driver).executeScript(
                "return Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth);");
    }

    String text(String css) {
        return find(css).getText();
    }

    String url() {
        return driver.getCurrentUrl();
    }

    /**
     * Waits until Vaadin has had no request in flight for a moment, so what is on screen is what the
     * server sent (a field's debounced change may leave a little after the key press).
     */
    void settle() {
        long[] quietSince = {0};
        wait.until(d -> {
            boolean idle = Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                    "return document.readyState === 'complete' && !!window.Vaadin && !!window.Vaadin.Flow"
                            + " && Object.values(window.Vaadin.Flow.clients || {}).every(c => !c.isActive())"));
            long now = System.nanoTime();
            if (!idle) {
                quietSince[0] = 0;
                return false;
            }
            if (quietSince[0] == 0) {
                quietSince[0] = now;
            }
            return now - quietSince[0] >= 150_000_000L;
        });
    }

    Path screenshot(String name) {
        settle();
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Path target = screenshots.resolve(name + ".png");
        try {
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    void signIn(String user, String password) {
        open("/login");
        WebElement name = find("vaadin-login-form input[name='username']");
        name.sendKeys(user);
        WebElement secret = find("vaadin-login-form input[name='password']");
        secret.sendKeys(password);
        secret.sendKeys(Keys.ENTER);
        wait.until(d -> !d.getCurrentUrl().contains("/login"));
        settle();
        find("#current-user");
    }

    void signOut() {
        click("#sign-out");
        wait.until(d -> d.getCurrentUrl().contains("/login"));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
