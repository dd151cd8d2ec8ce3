package io.hubgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a user's browser does against JupyterHub, with the JDK HTTP client: keeps cookies, posts
 * the login form, and opens websockets. Every request goes to one base URL, the proxy's public
 * port. Redirects are not followed, so each step's answer can be checked.
 */
final class HubBrowser {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    // <input ... name="_xsrf" ... value="..."> in either attribute order (JupyterHub 4.1+; 3.0 has none).
    private static final Pattern XSRF_INPUT = Pattern.compile("<input[^>]*name=\"_xsrf\"[^>]*>");
    private static final Pattern VALUE_ATTRIBUTE = Pattern.compile("value=\"([^\"]*)\"");

    private final URI base;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;

    HubBrowser(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder()
                // Browsers speak HTTP/1.1 to a plain-http proxy; the JDK default would add an h2c upgrade.
                .version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    /** A hub REST API call authenticated with {@code Authorization: token <apiToken>}. */
    HttpResponse<String> api(String method, String path, String apiToken) throws IOException, InterruptedException {
        HttpRequest request = request(path)
                .header("Authorization", "token " + apiToken)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return send(request);
    }

    /** Logs in through the hub's login form, as a browser would, and checks that the hub set its login cookie. */
    void logIn(String user, String password) throws IOException, InterruptedException {
        HttpResponse<String> page = get("/hub/login");
        assertThat(page.statusCode()).as("GET /hub/login\n%s", page.body()).isEqualTo(200);

        Map<String, String> form = new LinkedHashMap<>();
        form.put("username", user);
        form.put("password", password);
        xsrfToken(page.body()).ifPresent(token -> form.put("_xsrf", token));
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> login = send(request("/hub/login")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
        assertThat(login.statusCode()).as("POST /hub/login\n%s", login.body()).isEqualTo(302);
        assertThat(cookie("jupyterhub-hub-login"))
                .as("login cookie after POST /hub/login (cookies: %s)", cookies.getCookieStore().getCookies())
                .isPresent();
    }

    EchoSocket openWebSocket(String path, Duration timeout) throws Exception {
        URI uri = URI.create("ws://" + base.getAuthority() + path);
        return EchoSocket.open(http, uri, timeout);
    }

    private Optional<String> xsrfToken(String loginPage) {
        Matcher input = XSRF_INPUT.matcher(loginPage);
        if (input.find()) {
            Matcher value = VALUE_ATTRIBUTE.matcher(input.group());
            if (value.find()) {
                return Optional.of(value.group(1));
            }
        }
        return cookie("_xsrf");
    }

    private Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue)
                .findFirst();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT);
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
