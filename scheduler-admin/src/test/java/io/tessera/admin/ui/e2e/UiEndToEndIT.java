package io.tessera.admin.ui.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged admin (demo mode: one in-process agent with two declared H100 GPUs) driven through its
 * UI in headless Chromium, as an operator would: sign in, create a cron job that needs a GPU, trigger
 * it, watch the run succeed, read the shard's log; then check that a viewer cannot change anything.
 * Screenshots of each view land in {@code target/ui-screenshots/} (the README's come from there).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(UiEndToEndIT.ScreenshotOnFailure.class)
class UiEndToEndIT {

    /** A failed step leaves a picture of what the browser showed, next to the others. */
    static final class ScreenshotOnFailure implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                browser.screenshot("FAILED-" + context.getRequiredTestMethod().getName());
            }
        }
    }

    private static final String PASSWORD = "e2e-admin-password";
    private static final String VIEWER_PASSWORD = "e2e-viewer-password";
    private static final Path SHOTS = Path.of("target", "ui-screenshots");
    private static final String JOB = "e2e-gpu-cron";

    private static PackagedAdmin admin;
    private static Browser browser;
    private static String jobPath;

    @BeforeAll
    static void start() throws Exception {
        admin = PackagedAdmin.startDemo(PASSWORD);
        browser = new Browser(admin.baseUrl, SHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (admin != null) {
                admin.close();
            }
        }
    }

    @Test
    @Order(1)
    void anAdminSignsIn() {
        browser.open("/");
        assertThat(browser.url()).as("a visitor is sent to the login page").contains("/login");
        browser.screenshot("01-login");
        browser.signIn("admin", PASSWORD);
        assertThat(browser.text("#current-user")).contains("admin").contains("ADMIN");
        browser.waitForAnyText("#dash-leader");
        browser.screenshot("02-dashboard");
    }

    @Test
    @Order(2)
    void createsACronJobThatNeedsAGpuTriggersItAndReadsTheShardLog() {
        browser.open("/jobs");
        browser.find("#jobs-grid");
        browser.click("#job-new");
        browser.type("#job-name", JOB);
        browser.type("#job-group", "default");
        browser.type("#job-handler", "command");
        browser.type("#job-params", "sh -c 'echo e2e shard on GPU $CUDA_VISIBLE_DEVICES'");
        browser.choose("#job-schedule-kind", "Cron");
        browser.type("#job-cron", "0 0 3 * * ?");
        browser.waitUntil("the cron preview lists the next five fire times",
                () -> browser.count("#cron-preview li") == 5, Duration.ofSeconds(10));
        assertThat(browser.text("#cron-preview")).contains("03:00:00");
        browser.type("#job-accel-kind", "GPU");
        browser.type("#job-accel-count", "1");
        browser.type("#job-accel-model", "H100");
        browser.scrollToTop("#job-cron");
        browser.screenshot("03-job-editor");
        browser.click("#job-save");
        browser.waitUntil("the saved job's own page opens", () -> browser.url().matches(".*/jobs/\\d+$"), Duration.ofSeconds(10));
        jobPath = browser.url().substring(admin.baseUrl.length());

        browser.click("#job-trigger");
        browser.click("#trigger-confirm");
        String runId = browser.find("#trigger-run-id").getAttribute("data-run-id");
        assertThat(runId).as("the trigger notification names the run").matches("\\d+");
        browser.click("#trigger-open-run");
        browser.waitUntil("the run page opens", () -> browser.url().endsWith("/runs/" + runId), Duration.ofSeconds(10));
        browser.waitUntil("run " + runId + " reaches SUCCEEDED",
                () -> browser.text("#run-status").contains("SUCCEEDED"), Duration.ofSeconds(90));
        browser.click("#shard-log-0");
        browser.waitUntil("the shard's log shows what the job printed",
                () -> browser.text("#shard-log").contains("e2e shard on GPU"), Duration.ofSeconds(30));
        browser.screenshot("04-run");

        browser.open("/runs");
        browser.find("#runs-grid");
        browser.waitForCellText("#runs-grid", runId, Duration.ofSeconds(10));
        browser.screenshot("05-runs");
        browser.open("/jobs");
        browser.waitForCellText("#jobs-grid", JOB, Duration.ofSeconds(10));
        browser.screenshot("06-jobs");
        browser.open("/executors");
        browser.waitForText("[id^='devices-']", "H100");
        browser.screenshot("07-executors");
    }

    @Test
    @Order(3)
    void anAdminCreatesAViewerWhoCannotChangeAnything() {
        browser.open("/users");
        browser.click("#user-new");
        browser.type("#new-user-name", "vera");
        browser.type("#new-user-password", VIEWER_PASSWORD);
        browser.click("#new-user-save");
        browser.waitForText("#users-grid", "vera");
        browser.screenshot("08-users");
        browser.signOut();

        browser.signIn("vera", VIEWER_PASSWORD);
        assertThat(browser.text("#current-user")).contains("VIEWER");
        browser.open("/jobs");
        browser.waitForCellText("#jobs-grid", JOB, Duration.ofSeconds(10));
        assertThat(browser.present("#job-new")).as("a viewer has no New job button").isFalse();
        browser.open(jobPath);
        browser.find("#job-name");
        assertThat(browser.present("#job-save")).as("a viewer has no Save button").isFalse();
        assertThat(browser.present("#job-trigger")).as("a viewer cannot trigger").isFalse();
        assertThat(browser.find("#job-name").getAttribute("readonly")).as("fields are read-only").isNotNull();
        browser.screenshot("09-job-as-viewer");
        browser.open("/users");
        browser.find("#page-not-found");
        assertThat(browser.present("#users-grid")).as("a viewer cannot open Users").isFalse();
        browser.signOut();
    }

    @Test
    @Order(4)
    void theViewsFitAPhoneWidthWindow() {
        browser.signIn("admin", PASSWORD);
        browser.resize(400, 800);
        for (String view : new String[] {"jobs", "runs", "executors"}) {
            browser.open("/" + view);
            browser.find("#current-user");
            assertThat(browser.horizontalOverflow()).as(view + " scrolls sideways at 400 px").isLessThanOrEqualTo(1);
            browser.screenshot("10-" + view + "-phone");
        }
        browser.open("/");
        browser.waitForAnyText("#dash-leader");
        assertThat(browser.horizontalOverflow()).as("the dashboard scrolls sideways at 400 px").isLessThanOrEqualTo(1);
        browser.screenshot("10-dashboard-phone");
        browser.resize(1280, 800);
    }
}
