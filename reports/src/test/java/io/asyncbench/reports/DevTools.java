package io.asyncbench.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Headless Chromium driven over the DevTools protocol with nothing but the JDK's WebSocket client:
 * start the browser, open a page, collect console messages, exceptions and network requests, evaluate
 * JavaScript, take a screenshot.
 */
final class DevTools implements AutoCloseable {

    private static final JsonMapper JSON = new JsonMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path userDataDir;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private String sessionId;

    /** $ASYNCBENCH_CHROMIUM if set (and executable), else the first chromium or chrome on the PATH. */
    static java.util.Optional<Path> findChromium() {
        String override = System.getenv("ASYNCBENCH_CHROMIUM");
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            return Files.isExecutable(p) ? java.util.Optional.of(p) : java.util.Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return java.util.Optional.of(p);
                }
            }
        }
        return java.util.Optional.empty();
    }

    static DevTools launch(Path chromium, int width, int height) throws Exception {
        Path userDataDir = Files.createTempDirectory("asyncbench-chromium-");
        List<String> command = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--mute-audio", "--window-size=" + width + "," + height, "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--user-data-dir=" + userDataDir, "about:blank");
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        List<String> stderr = new CopyOnWriteArrayList<>();
        CompletableFuture<String> endpoint = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    stderr.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        endpoint.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            endpoint.completeExceptionally(new IllegalStateException("chromium exited: " + String.join(" | ", stderr)));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        String ws;
        try {
            ws = endpoint.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            destroy(process);
            deleteRecursively(userDataDir);
            throw e;
        }
        return new DevTools(process, userDataDir, ws, stderr);
    }

    private DevTools(Process process, Path userDataDir, String ws, List<String> stderr) throws Exception {
        this.process = process;
        this.userDataDir = userDataDir;
        this.stderr.addAll(stderr);
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(ws), new Listener())
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Opens a tab and attaches to it; every later call goes to that tab. */
    void openTab(int width, int height) throws Exception {
        String targetId = call("Target.createTarget", Map.of("url", "about:blank"), false).get("targetId").asText();
        sessionId = call("Target.attachToTarget", Map.of("targetId", targetId, "flatten", true), false)
                .get("sessionId").asText();
        call("Page.enable", Map.of());
        call("Runtime.enable", Map.of());
        call("Log.enable", Map.of());
        call("Network.enable", Map.of());
        call("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /** Navigates and waits for the load event, then a little longer for late errors. */
    void navigate(String url) throws Exception {
        int before = events.size();
        JsonNode r = call("Page.navigate", Map.of("url", url));
        if (r.hasNonNull("errorText")) {
            throw new IllegalStateException("navigation to " + url + " failed: " + r.get("errorText").asText());
        }
        awaitEvent(before, e -> e.path("method").asText().equals("Page.loadEventFired"));
        Thread.sleep(500);
    }

    JsonNode evaluate(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("evaluation failed: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** A PNG of the page from the top, {@code height} CSS pixels tall (or the whole page if shorter). */
    byte[] screenshot(int width, int maxHeight) throws Exception {
        JsonNode metrics = call("Page.getLayoutMetrics", Map.of());
        double contentHeight = metrics.path("cssContentSize").path("height").asDouble(maxHeight);
        double h = Math.min(maxHeight, Math.ceil(contentHeight));
        JsonNode r = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", h, "scale", 1)));
        return java.util.Base64.getDecoder().decode(r.get("data").asText());
    }

    /** A PNG of one band of the page: from {@code top}, {@code height} CSS pixels tall. */
    byte[] screenshot(int width, int top, int height) throws Exception {
        JsonNode r = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", top, "width", width, "height", height, "scale", 1)));
        return java.util.Base64.getDecoder().decode(r.get("data").asText());
    }

    /** Console errors, uncaught exceptions and error log entries since the tab opened, one line each. */
    List<String> errors() {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) {
            String method = e.path("method").asText();
            JsonNode p = e.path("params");
            switch (method) {
                case "Runtime.exceptionThrown" -> out.add("uncaught: " + p.path("exceptionDetails"));
                case "Runtime.consoleAPICalled" -> {
                    String type = p.path("type").asText();
                    if (type.equals("error") || type.equals("assert")) {
                        out.add("console." + type + ": " + p.path("args"));
                    }
                }
                case "Log.entryAdded" -> {
                    if (p.path("entry").path("level").asText().equals("error")) {
                        out.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
                    }
                }
                default -> {
                }
            }
        }
        return out;
    }

    /** Every URL the tab requested. */
    List<String> requests() {
        return events.stream().filter(e -> e.path("method").asText().equals("Network.requestWillBeSent"))
                .map(e -> e.path("params").path("request").path("url").asText()).toList();
    }

    private JsonNode call(String method, Map<String, ?> params) throws Exception {
        return call(method, params, true);
    }

    private JsonNode call(String method, Map<String, ?> params, boolean inSession) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", JSON.valueToTree(params));
        if (inSession && sessionId != null) {
            msg.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(JSON.writeValueAsString(msg), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode reply;
        try {
            reply = f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException(method + " got no answer in " + TIMEOUT + "; chromium said: " + String.join(" | ", stderr));
        }
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    private void awaitEvent(int from, Predicate<JsonNode> p) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = from; i < events.size(); i++) {
                if (p.test(events.get(i))) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new TimeoutException("no load event in " + TIMEOUT);
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        } catch (RuntimeException e) {
            // closing anyway
        }
        destroy(process);
        deleteRecursively(userDataDir);
    }

    private static void destroy(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String text = buffer.toString();
                buffer.setLength(0);
                try {
                    JsonNode msg = JSON.readTree(text);
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    } else {
                        events.add(msg);
                    }
                } catch (IOException e) {
                    events.add(JSON.createObjectNode().put("method", "unparsable").put("text", text));
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
