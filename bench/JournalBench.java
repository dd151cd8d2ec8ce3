import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import io.hubgate.store.JournalOptions;
import io.hubgate.store.JournalRouteStore;

/**
 * Durability benchmark (not a test; not run by {@code mvn verify}). Starts real Hubgate processes through
 * {@code bin/hubgate} and measures, through the REST API and the proxy:
 *
 * <ol>
 *   <li>route adds per second with the journal (each add fsynced before it is answered) and with the memory
 *       store, for 1 and 16 concurrent API clients, with latency percentiles and fsyncs per add;</li>
 *   <li>the journal store alone, in-process (no HTTP, no API): fsynced puts per second for 1 and 16 writer
 *       threads, to separate the store's cost from the API's;</li>
 *   <li>restart time with 100,000 routes: process start until the table is loaded, until the API lists it,
 *       until a restored route is proxied; after SIGKILL and after SIGTERM; and an empty-state baseline.</li>
 * </ol>
 *
 * Run from the repository root after {@code mvn -B -q package -DskipTests}:
 * <pre>java -cp target/hubgate.jar bench/JournalBench.java [--routes 100000] [--adds 2000] [--heap 256m]
 *      [--work /tmp/hubgate-bench] [--only adds|store|restart]</pre>
 * Single-file source launch; the jar is on the class path only for the in-process store measurement.
 */
public class JournalBench {

    static final String TOKEN = "bench";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    static int routes = 100_000;
    static String heap; // HUBGATE_HEAP for the Hubgate processes; null: the launcher's default (64m)
    static String only; // one section, or null for all
    static int adds = 3000;
    static Path work = Path.of("/tmp/hubgate-bench");
    static String backendUrl;

    public static void main(String[] args) {
        try {
            run(args);
            System.exit(0);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1); // ends the backend's threads; every Hubgate we started was killed by its try block
        }
    }

    static void run(String[] args) throws Exception {
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--routes" -> routes = Integer.parseInt(args[i + 1]);
                case "--adds" -> adds = Integer.parseInt(args[i + 1]);
                case "--work" -> work = Path.of(args[i + 1]);
                case "--heap" -> heap = args[i + 1];
                case "--only" -> only = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        deleteTree(work);
        Files.createDirectories(work);
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", exchange -> {
            byte[] body = exchange.getRequestURI().getPath().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.setExecutor(Executors.newFixedThreadPool(4));
        backend.start();
        backendUrl = "http://127.0.0.1:" + backend.getAddress().getPort();

        System.out.printf("# Hubgate durability benchmark%n%ncores: %d, load average at start: %s, Hubgate heap: %s%n%n",
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).strip(),
                heap == null ? "launcher default (-Xmx64m)" : heap);
        if (only == null || only.equals("adds")) {
            System.out.println("## Route adds per second through the REST API");
            System.out.println();
            System.out.println("| store | clients | adds | adds/s | p50 ms | p99 ms | fsyncs | adds per fsync |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (String store : List.of("journal", "memory")) {
                for (int clients : new int[] {1, 16}) {
                    addRate(store, clients, clients == 1 ? adds : adds * 4);
                }
            }
            System.out.println();
        }
        if (only == null || only.equals("store")) {
            storeAlone();
        }
        if (only == null || only.equals("restart")) {
            restart();
        }
        backend.stop(0);
    }

    // ------------------------------------------------------------------------------------- adds/s

    static void addRate(String store, int clients, int total) throws Exception {
        Path state = work.resolve("adds-" + store + "-" + clients);
        List<String> args = store.equals("journal") ? List.of("--storage-backend", "file://" + state) : List.of();
        Hubgate h = Hubgate.start(args);
        try {
            populate(h, "/warm/", 300, clients); // JIT, connection pools
            long[] latencies = new long[total];
            long started = System.nanoTime();
            populate(h, "/bench/", total, clients, latencies);
            double seconds = (System.nanoTime() - started) / 1e9;
            Arrays.sort(latencies);
            h.terminate();
            String fsyncs = "-";
            String perFsync = "-";
            Matcher m = h.find(Pattern.compile("closed: (\\d+) route changes written in (\\d+) fsyncs"));
            if (m != null) {
                long changes = Long.parseLong(m.group(1));
                long syncs = Long.parseLong(m.group(2));
                fsyncs = String.valueOf(syncs);
                perFsync = String.format("%.1f", (double) changes / syncs);
            } else if (store.equals("journal")) {
                System.err.println("no journal summary in: " + h.lines.subList(Math.max(0, h.lines.size() - 5), h.lines.size()));
            }
            System.out.printf("| %s | %d | %d | %.0f | %.2f | %.2f | %s | %s |%n", store, clients, total, total / seconds,
                    latencies[total / 2] / 1e6, latencies[(int) (total * 0.99)] / 1e6, fsyncs, perFsync);
        } finally {
            h.close();
        }
    }

    static void populate(Hubgate h, String prefix, int total, int clients) throws Exception {
        populate(h, prefix, total, clients, new long[total]);
    }

    /** {@code total} POSTs spread over {@code clients} threads; latencies in nanoseconds. */
    static void populate(Hubgate h, String prefix, int total, int clients, long[] latencies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                for (int i = client; i < total; i += clients) {
                    String body = "{\"target\":\"" + backendUrl + "/t/" + i + "\",\"user\":\"user-" + i
                            + "\",\"server_name\":\"\"}";
                    long t0 = System.nanoTime();
                    int status = h.api("POST", prefix + i, body).statusCode();
                    latencies[i] = System.nanoTime() - t0;
                    if (status != 201) {
                        throw new IllegalStateException("POST " + prefix + i + ": " + status);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    // ------------------------------------------------------------------------------- store alone

    static void storeAlone() throws Exception {
        System.out.println("## The journal store alone (in-process, no HTTP)");
        System.out.println();
        System.out.println("| writer threads | puts | puts/s | fsyncs | puts per fsync |");
        System.out.println("|---|---|---|---|---|");
        for (int round = 0; round < 2; round++) { // the first round warms the JIT up; report the second
            for (int threads : new int[] {1, 16}) {
                Path dir = work.resolve("store-" + round + "-" + threads);
                int total = threads == 1 ? adds : adds * 4;
                try (JournalRouteStore store = JournalRouteStore.open(dir,
                        JournalOptions.defaults().withCompactAfterRecords(Integer.MAX_VALUE))) {
                    ExecutorService pool = Executors.newFixedThreadPool(threads);
                    List<Future<?>> futures = new ArrayList<>();
                    long started = System.nanoTime();
                    for (int t = 0; t < threads; t++) {
                        int thread = t;
                        futures.add(pool.submit(() -> {
                            for (int i = thread; i < total; i += threads) {
                                store.put("/user/" + i, "{\"target\":\"http://127.0.0.1:9/t/" + i + "\"}", i, null).join();
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : futures) {
                        f.get();
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    pool.shutdown();
                    if (round == 1) {
                        System.out.printf("| %d | %d | %.0f | %d | %.1f |%n", threads, total, total / seconds,
                                store.syncCount(), (double) total / store.syncCount());
                    }
                }
            }
        }
        System.out.println();
    }

    // ------------------------------------------------------------------------------------ restart

    static void restart() throws Exception {
        Path state = work.resolve("restart");
        List<String> args = List.of("--storage-backend", "file://" + state);
        System.out.printf("## Restart with %,d routes%n%n", routes);
        try (Hubgate h = Hubgate.start(args)) {
            long started = System.nanoTime();
            populate(h, "/user/", routes, 16);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("populated through the API with 16 clients in %.1f s (%.0f adds/s); RSS %s, %s%n%n",
                    seconds, routes / seconds, h.rss(), h.heapAfterGc());
            h.kill();
        }
        System.out.printf("state after SIGKILL: %s%n%n", files(state));

        System.out.println("| restart | table loaded (log) | API lists all routes | first restored route proxied "
                + "| GET /api/routes | RSS after |");
        System.out.println("|---|---|---|---|---|---|");
        for (int run = 1; run <= 3; run++) {
            measureRestart("after SIGKILL #" + run, args, true);
        }
        measureRestart("after SIGTERM", args, false);
        measureRestart("after SIGTERM (again)", args, true);
        Path empty = work.resolve("empty");
        measureRestart("baseline: empty journal", List.of("--storage-backend", "file://" + empty), true);
        measureRestart("baseline: memory", List.of(), true);
        System.out.printf("%nstate at the end: %s%n", files(state));
    }

    static void measureRestart(String label, List<String> args, boolean kill) throws Exception {
        long t0 = System.nanoTime();
        Hubgate h = Hubgate.start(args);
        try {
            String loaded = h.seenAt("Restored ") > 0 ? ms(h.seenAt("Restored ") - t0) : "-";
            boolean restored = h.seenAt("Restored ") > 0;
            String probe = "/user/" + (routes - 1);
            long apiReady = 0;
            long proxied = 0;
            if (restored) {
                HttpResponse<byte[]> r = h.api("GET", probe, null);
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("restored route missing: " + r.statusCode());
                }
                apiReady = System.nanoTime();
                HttpResponse<String> p = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.proxyPort
                        + probe + "/x")).build(), HttpResponse.BodyHandlers.ofString());
                if (p.statusCode() != 200 || !p.body().startsWith("/t/" + (routes - 1) + "/")) {
                    throw new IllegalStateException("not routed: " + p.statusCode() + " " + p.body());
                }
                proxied = System.nanoTime();
            }
            long g0 = System.nanoTime();
            HttpResponse<byte[]> all = h.api("GET", "", null);
            long listed = System.nanoTime() - g0;
            int count = count(all.body());
            if (restored && count < routes) {
                throw new IllegalStateException("only " + count + " routes restored");
            }
            System.out.printf("| %s | %s | %s | %s | %s (%,d routes, %.1f MB) | %s |%n", label, loaded,
                    restored ? ms(apiReady - t0) : "-", restored ? ms(proxied - t0) : ms(h.listeningAt - t0),
                    ms(listed), count, all.body().length / 1e6, h.rss());
            if (kill) {
                h.kill();
            } else {
                h.terminate();
            }
        } finally {
            h.close();
        }
    }

    static int count(byte[] table) {
        // count top-level keys cheaply: every route object has one "last_activity"
        String s = new String(table, StandardCharsets.UTF_8);
        int n = 0;
        for (int at = s.indexOf("\"last_activity\""); at >= 0; at = s.indexOf("\"last_activity\"", at + 1)) {
            n++;
        }
        return n;
    }

    static String ms(long nanos) {
        return String.format("%.0f ms", nanos / 1e6);
    }

    static String files(Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : (Iterable<Path>) list.sorted()::iterator) {
                b.append(f.getFileName()).append(' ').append(String.format("%.1f MB", Files.size(f) / 1e6)).append("; ");
            }
        }
        return b.toString();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted((a, b) -> b.compareTo(a))::iterator) {
                Files.delete(p);
            }
        }
    }

    // ------------------------------------------------------------------------------ the process

    static final class Hubgate implements AutoCloseable {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Map<String, Long> firstSeen = new java.util.concurrent.ConcurrentHashMap<>();
        Thread reader;
        int proxyPort;
        int apiPort;
        long listeningAt;

        Hubgate(Process process) {
            this.process = process;
        }

        static Hubgate start(List<String> args) throws Exception {
            List<String> command = new ArrayList<>(List.of("bin/hubgate", "--ip", "127.0.0.1", "--port", "0",
                    "--api-ip", "127.0.0.1", "--api-port", "0"));
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("CONFIGPROXY_AUTH_TOKEN", TOKEN);
            if (heap != null) {
                pb.environment().put("HUBGATE_HEAP", heap);
            }
            Hubgate h = new Hubgate(pb.start());
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(h.process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        long now = System.nanoTime();
                        h.lines.add(line);
                        for (String marker : List.of("Restored ", "Proxy API at")) {
                            if (line.contains(marker)) {
                                h.firstSeen.putIfAbsent(marker, now);
                            }
                        }
                        if (line.contains("error:")) {
                            System.err.println("[hubgate] " + line);
                        }
                    }
                } catch (IOException ignored) {
                    // process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
            h.reader = reader;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            Pattern proxy = Pattern.compile("Proxying http://127\\.0\\.0\\.1:(\\d+) ");
            Pattern api = Pattern.compile("Proxy API at http://127\\.0\\.0\\.1:(\\d+)/");
            while (h.find(api) == null) {
                if (!h.process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("hubgate did not start: " + h.lines);
                }
                Thread.sleep(2);
            }
            h.listeningAt = h.firstSeen.get("Proxy API at");
            h.proxyPort = Integer.parseInt(h.find(proxy).group(1));
            h.apiPort = Integer.parseInt(h.find(api).group(1));
            return h;
        }

        long seenAt(String marker) {
            return firstSeen.getOrDefault(marker, 0L);
        }

        Matcher find(Pattern p) {
            for (String line : lines) {
                Matcher m = p.matcher(line);
                if (m.find()) {
                    return m;
                }
            }
            return null;
        }

        HttpResponse<byte[]> api(String method, String path, String body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/routes"
                    + path)).header("Authorization", "token " + TOKEN).timeout(Duration.ofSeconds(120));
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            try {
                return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        String rss() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return String.format("%.0f MB", Long.parseLong(line.replaceAll("\\D", "")) / 1024.0);
                    }
                }
            } catch (IOException e) {
                return "?";
            }
            return "?";
        }

        /** Heap in use after a full GC, from the JVM's own jcmd ("?" if that is not available). */
        String heapAfterGc() {
            try {
                Path java = Path.of(process.info().command().orElseThrow());
                String jcmd = java.resolveSibling("jcmd").toString();
                run(List.of(jcmd, String.valueOf(process.pid()), "GC.run"));
                String info = run(List.of(jcmd, String.valueOf(process.pid()), "GC.heap_info"));
                Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info); // one per generation
                long total = 0;
                long used = 0;
                while (m.find()) {
                    total += Long.parseLong(m.group(1));
                    used += Long.parseLong(m.group(2));
                }
                return total == 0 ? "heap ?" : String.format("heap used after full GC %.0f MB of %.0f MB",
                        used / 1024.0, total / 1024.0);
            } catch (Exception e) {
                return "heap ?";
            }
        }

        static String run(List<String> command) throws Exception {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        }

        void kill() throws InterruptedException {
            process.toHandle().destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
        }

        void terminate() throws InterruptedException {
            process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
            process.waitFor(60, TimeUnit.SECONDS);
            reader.join(10_000); // the last lines (the journal's closing summary)
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
