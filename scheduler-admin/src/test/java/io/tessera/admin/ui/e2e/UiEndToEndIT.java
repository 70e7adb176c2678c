package io.tessera.admin.ui.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged admin (demo mode: one in-process agent with two GPUs) driven through its UI in headless
 * Chromium. Screenshots of each view land in {@code target/ui-screenshots/}.
 */
class UiEndToEndIT {

    private static final String PASSWORD = "e2e-admin-password";
    private static final Path SHOTS = Path.of("target", "ui-screenshots");

    private static PackagedAdmin admin;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        admin = PackagedAdmin.startDemo(PASSWORD);
        browser = new Browser(admin.baseUrl, SHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void anAdminSignsInAndSeesTheDashboard() {
        browser.open("/");
        assertThat(browser.url()).contains("/login");
        browser.screenshot("login");
        browser.signIn("admin", PASSWORD);
        assertThat(browser.text("#current-user")).contains("admin").contains("ADMIN");
        browser.screenshot("dashboard");
    }
}
