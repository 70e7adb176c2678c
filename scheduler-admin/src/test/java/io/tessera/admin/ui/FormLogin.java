package io.tessera.admin.ui;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signs in to the UI over plain HTTP, as the login page's form does: fetch {@code /login} for the
 * session and its CSRF token, post the user name and password, and report where the admin sends
 * the browser next ({@code /login?error} when refused).
 */
public final class FormLogin {

    private static final Pattern CSRF = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

    private FormLogin() {
    }

    /** A browser-like client after a login attempt: its cookies, and where the admin sent it. */
    public record Session(HttpClient http, String baseUrl, String location) {

        public boolean refused() {
            return location.endsWith("/login?error");
        }

        /** Fetches a page with the session's cookies, not following redirects. */
        public HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** @return the {@code Location} the admin answers the login POST with */
    public static String signIn(String baseUrl, String user, String password) throws IOException, InterruptedException {
        return session(baseUrl, user, password).location();
    }

    public static Session session(String baseUrl, String user, String password) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher csrf = CSRF.matcher(page.body());
        if (page.statusCode() != 200 || !csrf.find()) {
            throw new IllegalStateException("/login answered " + page.statusCode() + " without a CSRF token");
        }
        String form = "username=" + encode(user) + "&password=" + encode(password) + "&_csrf=" + encode(csrf.group(1));
        HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() != 302) {
            throw new IllegalStateException("the login POST answered " + answer.statusCode() + ", not a redirect");
        }
        return new Session(http, baseUrl, answer.headers().firstValue("Location").orElse(""));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
