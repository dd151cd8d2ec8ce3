package io.hubgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.hubgate.testing.HubgateProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/hubgate} and {@code bin/configurable-http-proxy} against the packaged jar: Java selection, jar
 * lookup, symlinks, JVM options, and that the JVM ends up with the launcher's own process id (exec).
 */
class LauncherIT {

    private static final Path HOME = Path.of(System.getProperty("hubgate.home")).toAbsolutePath();
    private static final Path JAR = Path.of(System.getProperty("hubgate.jar")).toAbsolutePath();
    private static final Path HUBGATE = HOME.resolve("bin/hubgate");
    private static final Path CHP = HOME.resolve("bin/configurable-http-proxy");
    private static final Path THIS_JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path tmp;

    record Result(int code, String stdout, String stderr, long pid) {
    }

    /** Runs a command with a clean launcher environment plus {@code extraEnv}; bounded to a minute. */
    private Result run(Map<String, String> extraEnv, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        for (String name : List.of("HUBGATE_JAVA", "HUBGATE_JAR", "HUBGATE_JAVA_OPTS", "HUBGATE_HEAP",
                "HUBGATE_DIRECT_MEMORY", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS",
                "CONFIGPROXY_AUTH_TOKEN", "CONFIGPROXY_AUTH_TOKEN_FILE", "HUBGATE_AOT_TRAIN")) {
            env.remove(name);
        }
        // A cache that bench/run.sh left next to target/hubgate.jar must not change the rows below; the cache's
        // own tests pass "" (the launcher's default place) or a path.
        env.put("HUBGATE_AOT_CACHE", "off");
        env.putAll(extraEnv);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("timed out: " + command);
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err), process.pid());
    }

    private Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        return run(env, List.of(command));
    }

    private static String versionLine() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            String version = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
            assertThat(version).as("Implementation-Version in the jar manifest").isNotBlank();
            return "hubgate " + version + " (configurable-http-proxy 5.3 compatible)\n";
        }
    }

    /**
     * A stand-in {@code java} that claims a version when asked ({@code -XshowSettings:properties -version})
     * and otherwise writes its pid and arguments, one per line, to {@code <dir>/invocation.txt}.
     */
    private Path fakeJava(String name, String specVersion) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve(name).resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, String.join("\n",
                "#!/bin/sh",
                "for a in \"$@\"; do",
                "  if [ \"$a\" = -version ]; then",
                "    echo 'Property settings:' >&2",
                "    echo '    java.specification.version = " + specVersion + "' >&2",
                "    echo 'openjdk version \"" + specVersion + "\"' >&2",
                "    exit 0",
                "  fi",
                "done",
                "printf '%s\\n' \"$$\" \"$@\" > \"" + bin.getParent().resolve("invocation.txt") + "\"",
                ""));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    private static List<String> invocation(Path fakeJava) throws IOException {
        return Files.readAllLines(fakeJava.getParent().getParent().resolve("invocation.txt"));
    }

    // --- the real thing -------------------------------------------------------------------------

    @Test
    void hubgateVersion() throws Exception {
        Result result = run(Map.of(), HUBGATE.toString(), "--version");
        assertThat(result.stderr()).isEmpty();
        assertThat(result.stdout()).isEqualTo(versionLine());
        assertThat(result.code()).isZero();
    }

    @Test
    void configurableHttpProxyHelp() throws Exception {
        Result result = run(Map.of(), CHP.toString(), "--help");
        assertThat(result.code()).isZero();
        assertThat(result.stderr()).isEmpty();
        assertThat(result.stdout()).startsWith("Usage: hubgate [options]\n")
                .contains("  --api-port <n> ", "  --custom-header <header> ", "CONFIGPROXY_AUTH_TOKEN");
    }

    @Test
    void errorsKeepCliMessagesAndExitCodes() throws Exception {
        Result unknown = run(Map.of(), CHP.toString(), "--statsd-host", "localhost");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.stderr()).isEqualTo("error: unknown option '--statsd-host'\n");
        assertThat(unknown.stdout()).isEmpty();

        // CHP's own test suite (cli_spec "invalid-custom-header") looks for this on stderr.
        Result header = run(Map.of(), CHP.toString(), "--custom-header", "invalid");
        assertThat(header.code()).isEqualTo(1);
        assertThat(header.stderr()).contains("colon was expected");
    }

    @Test
    void worksThroughSymlinksPlacedElsewhereOnPath() throws Exception {
        Path onPath = Files.createDirectories(tmp.resolve("path-bin"));
        Files.createSymbolicLink(onPath.resolve("configurable-http-proxy"), CHP);
        // A chain with a relative link: hg -> ./links/hubgate-link -> bin/hubgate.
        Path links = Files.createDirectories(onPath.resolve("links"));
        Files.createSymbolicLink(links.resolve("hubgate-link"), HUBGATE);
        Files.createSymbolicLink(onPath.resolve("hg"), Path.of("links/hubgate-link"));
        Map<String, String> env = Map.of("PATH", onPath + ":" + System.getenv("PATH"));

        // JupyterHub runs the name through a PATH lookup; so does sh.
        Result help = run(env, "sh", "-c", "exec configurable-http-proxy --help");
        assertThat(help.code()).isZero();
        assertThat(help.stdout()).startsWith("Usage: hubgate [options]\n");

        Result version = run(env, "sh", "-c", "exec hg -V");
        assertThat(version.code()).isZero();
        assertThat(version.stdout()).isEqualTo(versionLine());
    }

    @Test
    void theJvmRunsUnderTheLaunchersOwnPid() throws Exception {
        // The JVM decorates its startup log lines with its pid; with exec all the way down it is the pid of
        // the process we started (the shell running the script), for both names of the program.
        Map<String, String> env = Map.of("HUBGATE_JAVA_OPTS", "-Xlog:gc+init=info:stdout:pid");
        for (Path launcher : List.of(HUBGATE, CHP)) {
            Result result = run(env, launcher.toString(), "--version");
            assertThat(result.code()).isZero();
            assertThat(result.stdout()).endsWith(versionLine());
            Matcher pids = Pattern.compile("(?m)^\\[(\\d+)\\]").matcher(result.stdout());
            List<Long> seen = new ArrayList<>();
            while (pids.find()) {
                seen.add(Long.parseLong(pids.group(1)));
            }
            assertThat(seen).as("pids in the JVM's log of %s", launcher).isNotEmpty()
                    .containsOnly(result.pid());
        }
        // The same proof in the shape the hub sees: a shell that prints its pid, then execs the launcher.
        Result shell = run(env, "sh", "-c", "echo \"shell $$\"; exec \"$0\" --version", CHP.toString());
        Matcher shellPid = Pattern.compile("shell (\\d+)").matcher(shell.stdout());
        assertThat(shellPid.find()).isTrue();
        assertThat(shell.stdout()).contains("[" + shellPid.group(1) + "]");
    }

    // --- Java selection and JVM options, with a stand-in java -----------------------------------

    @Test
    void tooOldHubgateJavaIsRefused() throws Exception {
        Path java11 = fakeJava("jdk11", "11");
        Result result = run(Map.of("HUBGATE_JAVA", java11.toString()), HUBGATE.toString(), "--version");
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("hubgate: error: HUBGATE_JAVA=" + java11
                + " is Java 11; Hubgate needs Java 17 or newer\n");
        assertThat(result.stdout()).isEmpty();
        assertThat(java11.getParent().getParent().resolve("invocation.txt")).doesNotExist();
    }

    @Test
    void hubgateJavaThatIsNotJavaIsRefused() throws Exception {
        Path notJava = tmp.resolve("not-java");
        Files.writeString(notJava, "#!/bin/sh\necho hello\n");
        Files.setPosixFilePermissions(notJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        Result result = run(Map.of("HUBGATE_JAVA", notJava.toString()), HUBGATE.toString(), "--version");
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.stderr()).contains("HUBGATE_JAVA=" + notJava + " does not run as java");

        Result missing = run(Map.of("HUBGATE_JAVA", tmp.resolve("nothing").toString()), HUBGATE.toString(), "-V");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.stderr()).contains("is not an executable");
    }

    @Test
    void tooOldJavaHomeIsPassedOverForANewerJava() throws Exception {
        Path java11 = fakeJava("jdk11", "11");
        Path onPath = Files.createDirectories(tmp.resolve("path-bin"));
        Files.createSymbolicLink(onPath.resolve("java"), THIS_JAVA);
        Result result = run(Map.of("JAVA_HOME", java11.getParent().getParent().toString(),
                "PATH", onPath + ":/usr/bin:/bin"), HUBGATE.toString(), "--version");
        assertThat(result.code()).isZero();
        assertThat(result.stdout()).isEqualTo(versionLine());
        assertThat(java11.getParent().getParent().resolve("invocation.txt")).doesNotExist();
    }

    @Test
    void defaultJvmOptionsAndExecOnJava25() throws Exception {
        Path java25 = fakeJava("jdk25", "25");
        Result result = run(Map.of("HUBGATE_JAVA", java25.toString()), HUBGATE.toString(), "--port", "8000",
                "--custom-header", "X-A: b c", "*");
        assertThat(result.code()).isZero();
        assertThat(invocation(java25)).containsExactly(String.valueOf(result.pid()),
                "-XX:+UseSerialGC", "-Xmn6m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20",
                "-XX:-ShrinkHeapInSteps", "-Dhubgate.heapGuardMiB=32",
                "-Xms16m", "-Xmx256m", "-XX:MaxDirectMemorySize=64m", "-Xss512k",
                "-XX:+ExitOnOutOfMemoryError", "-Dio.netty.leakDetection.level=disabled",
                "-Dio.netty.jfr.enabled=false", "-XX:TrimNativeHeapInterval=1000", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-XX:CompileCommand=quiet",
                "-XX:CompileCommand=MemLimit,io.hubgate.api.*::*,16m",
                "-XX:CompileCommand=MemLimit,io.hubgate.control.*::*,16m",
                "-XX:CompileCommand=MemLimit,io.hubgate.routing.Target::*,16m",
                "-jar", JAR.toString(), "--port", "8000", "--custom-header", "X-A: b c", "*");
    }

    @Test
    void aRealJava24OrNewerTakesTheLaunchersOptionsWithoutAWord() throws Exception {
        // The options added from Java 22 and 24 on must be ones the real JVM knows, and -XX:CompileCommand=quiet
        // must keep the JVM's echo of the compile commands off stdout (JupyterHub reads the proxy's output).
        Path java = InstalledJdks.newestAtLeast(24);
        Result result = run(Map.of("HUBGATE_JAVA", java.toString(), "HUBGATE_AOT_CACHE", "off"), HUBGATE.toString(),
                "--version");
        assertThat(result.stderr()).isEmpty();
        assertThat(result.stdout()).isEqualTo(versionLine());
        assertThat(result.code()).isZero();
    }

    @Test
    void nettyKeepsSunMiscUnsafeOnARealJava24OrNewer() throws Exception {
        Path java = InstalledJdks.newestAtLeast(24);
        HubgateProcess.Options options = HubgateProcess.Options.failingOnLeaks();
        options.env.put("HUBGATE_JAVA", java.toString());
        try (HubgateProcess p = HubgateProcess.startOnLoopback(tmp, "unsafe-allowed", options,
                List.of("--log-level", "debug")).awaitListening()) {
            p.awaitLogged("Netty's buffers use sun.misc.Unsafe");
        }
        // The control: the JVM's later option wins, and then Netty turns Unsafe off, as it does by default there.
        options.javaOpts += " --sun-misc-unsafe-memory-access=warn";
        try (HubgateProcess p = HubgateProcess.startOnLoopback(tmp, "unsafe-warned", options,
                List.of("--log-level", "debug")).awaitListening()) {
            p.awaitLogged("Netty's buffers do not use sun.misc.Unsafe");
        }
    }

    @Test
    void overridesOnJava17() throws Exception {
        Path java17 = fakeJava("jdk17", "17");
        Files.writeString(tmp.resolve("a-file-a-glob-would-find"), "");
        Result result = run(Map.of("HUBGATE_JAVA", java17.toString(), "HUBGATE_HEAP", "256m",
                "HUBGATE_DIRECT_MEMORY", "32m", "HUBGATE_JAVA_OPTS", "-XX:+UseG1GC  -Dhubgate.test=* -Xmx300m"),
                CHP.toString(), "--version");
        assertThat(result.code()).isZero();
        // No SerialGC (nor its tuning and heap guard) next to the chosen collector, no heap trimming before Java 22, no native-access flag before
        // Java 24, no globbing.
        assertThat(invocation(java17)).containsExactly(String.valueOf(result.pid()),
                "-Xms16m", "-Xmx256m", "-XX:MaxDirectMemorySize=32m", "-Xss512k", "-XX:+ExitOnOutOfMemoryError",
                "-Dio.netty.leakDetection.level=disabled", "-Dio.netty.jfr.enabled=false", "-XX:+UseG1GC", "-Dhubgate.test=*", "-Xmx300m", "-jar", JAR.toString(), "--version");
    }

    @Test
    void aJdkReleaseFileAnswersWithoutStartingTheJvm() throws Exception {
        // This stand-in would say 11 if it were asked; its release file says 21, and that is what counts.
        Path java = fakeJava("jdk21", "11");
        Files.writeString(java.getParent().getParent().resolve("release"),
                "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"21.0.4\"\n");
        Result result = run(Map.of("HUBGATE_JAVA", java.toString()), HUBGATE.toString(), "-V");
        assertThat(result.code()).isZero();
        assertThat(invocation(java)).contains("-XX:+UseSerialGC").doesNotContain("--enable-native-access=ALL-UNNAMED")
                .doesNotContain("-XX:TrimNativeHeapInterval=1000").doesNotContain("--sun-misc-unsafe-memory-access=allow")
                .doesNotContain("-XX:CompileCommand=quiet");
    }

    // --- finding the jar ------------------------------------------------------------------------

    @Test
    void missingJarSaysHowToBuildIt() throws Exception {
        Path copy = Files.createDirectories(tmp.resolve("checkout/bin")).resolve("hubgate");
        Files.copy(HUBGATE, copy);
        Map<String, String> env = Map.of("HUBGATE_JAVA", THIS_JAVA.toString());
        Result result = run(env, copy.toString(), "--version");
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.stderr()).startsWith("hubgate: error: cannot find hubgate.jar")
                .contains("mvn -B -q package -DskipTests");

        Result wrongJar = run(Map.of("HUBGATE_JAVA", THIS_JAVA.toString(), "HUBGATE_JAR", "/nonexistent/hubgate.jar"),
                HUBGATE.toString(), "--version");
        assertThat(wrongJar.code()).isEqualTo(1);
        assertThat(wrongJar.stderr()).isEqualTo("hubgate: error: HUBGATE_JAR=/nonexistent/hubgate.jar does not exist\n");
    }

    @Test
    void distributionLayoutAndExplicitJar() throws Exception {
        // <dir>/bin/hubgate finds <dir>/lib/hubgate.jar.
        Path dist = tmp.resolve("dist");
        Path bin = Files.createDirectories(dist.resolve("bin"));
        Files.copy(HUBGATE, bin.resolve("hubgate"));
        Files.copy(JAR, Files.createDirectories(dist.resolve("lib")).resolve("hubgate.jar"));
        Path java17 = fakeJava("jdk17", "17");
        Result result = run(Map.of("HUBGATE_JAVA", java17.toString()), bin.resolve("hubgate").toString(), "-V");
        assertThat(result.code()).isZero();
        List<String> args = invocation(java17);
        assertThat(args.get(args.indexOf("-jar") + 1)).isEqualTo(dist.resolve("lib/hubgate.jar").toRealPath().toString());

        // HUBGATE_JAR is used when neither layout has a jar, and the real JVM runs it.
        Path bare = Files.createDirectories(tmp.resolve("bare/bin")).resolve("hubgate");
        Files.copy(HUBGATE, bare);
        Result explicit = run(Map.of("HUBGATE_JAR", JAR.toString()), bare.toString(), "-V");
        assertThat(explicit.code()).isZero();
        assertThat(explicit.stdout()).isEqualTo(versionLine());
    }

    @Test
    void scriptsAreExecutablePosixShell() throws Exception {
        for (Path script : List.of(HUBGATE, CHP, HOME.resolve("bin/hubgate-aot-train"))) {
            assertThat(Files.isExecutable(script)).as("%s is executable", script).isTrue();
            List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
            assertThat(lines.get(0)).isEqualTo("#!/bin/sh");
            // dash (Debian's /bin/sh) rejects bash-only syntax at parse time with -n.
            Result syntax = run(Map.of(), "dash", "-n", script.toString());
            assertThat(syntax.code()).as("dash -n %s: %s", script, syntax.stderr()).isZero();
        }
    }

    // --- the ahead-of-time cache (Java 25+) -----------------------------------------------------

    /** {@code <tmp>/<name>/bin/hubgate} with a copy of the jar in {@code lib/}; returns the real path of the dir. */
    private Path distribution(String name) throws IOException {
        Path dist = tmp.resolve(name);
        Files.copy(HUBGATE, Files.createDirectories(dist.resolve("bin")).resolve("hubgate"));
        Files.copy(JAR, Files.createDirectories(dist.resolve("lib")).resolve("hubgate.jar"));
        return dist.toRealPath();
    }

    private static void age(Path file, int seconds) throws IOException {
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - seconds * 1000L));
    }

    private static List<String> aotOptions(List<String> args) {
        return args.stream().filter(a -> a.startsWith("-XX:AOT")).toList();
    }

    @Test
    void aCacheNextToTheJarIsUsedFromJava25On() throws Exception {
        Path dist = distribution("aot");
        Path cache = dist.resolve("lib/hubgate.aot");
        Files.writeString(cache, "stand-in");
        age(dist.resolve("lib/hubgate.jar"), 60);
        String launcher = dist.resolve("bin/hubgate").toString();

        Path java25 = fakeJava("jdk25", "25");
        Result result = run(Map.of("HUBGATE_JAVA", java25.toString(), "HUBGATE_AOT_CACHE", ""), launcher, "-V");
        assertThat(result.code()).isZero();
        assertThat(result.stderr()).isEmpty();
        List<String> args = invocation(java25);
        assertThat(aotOptions(args)).containsExactly("-XX:AOTCache=" + cache);
        assertThat(args.indexOf("-XX:AOTCache=" + cache)).isLessThan(args.indexOf("-jar"));

        // Java 24 knows -XX:AOTCache but records no method profiles: the cache is left alone.
        Path java24 = fakeJava("jdk24", "24");
        assertThat(run(Map.of("HUBGATE_JAVA", java24.toString(), "HUBGATE_AOT_CACHE", ""), launcher, "-V").code())
                .isZero();
        assertThat(aotOptions(invocation(java24))).isEmpty();

        // "off", and a cache somewhere else.
        assertThat(run(Map.of("HUBGATE_JAVA", java25.toString()), launcher, "-V").code()).isZero();
        assertThat(aotOptions(invocation(java25))).isEmpty();
        Path elsewhere = tmp.resolve("cache dir with spaces/hubgate.aot");
        Files.createDirectories(elsewhere.getParent());
        Files.writeString(elsewhere, "stand-in");
        assertThat(run(Map.of("HUBGATE_JAVA", java25.toString(), "HUBGATE_AOT_CACHE", elsewhere.toString()),
                launcher, "-V").code()).isZero();
        assertThat(aotOptions(invocation(java25))).containsExactly("-XX:AOTCache=" + elsewhere);
    }

    @Test
    void aCacheOlderThanTheJarIsPassedOverWithAWarning() throws Exception {
        Path dist = distribution("stale");
        Path cache = dist.resolve("lib/hubgate.aot");
        Files.writeString(cache, "stand-in");
        age(cache, 60);
        Path java25 = fakeJava("jdk25", "25");
        Result result = run(Map.of("HUBGATE_JAVA", java25.toString(), "HUBGATE_AOT_CACHE", ""),
                dist.resolve("bin/hubgate").toString(), "-V");
        assertThat(result.code()).isZero();
        assertThat(result.stderr()).isEqualTo("hubgate: warning: not using the AOT cache " + cache
                + ": the jar is newer; remake it with bin/hubgate-aot-train\n");
        assertThat(aotOptions(invocation(java25))).isEmpty();
    }

    @Test
    void trainingModeRunsTheWorkloadAndNamesTheCacheAsOutput() throws Exception {
        Path dist = distribution("train");
        String launcher = dist.resolve("bin/hubgate").toString();
        Path java25 = fakeJava("jdk25", "25");
        Result result = run(Map.of("HUBGATE_JAVA", java25.toString(), "HUBGATE_AOT_CACHE", "",
                "HUBGATE_AOT_TRAIN", "7"), launcher, "--ignored");
        assertThat(result.code()).isZero();
        List<String> args = invocation(java25);
        assertThat(args.subList(args.size() - 5, args.size())).containsExactly(
                "-cp", dist.resolve("lib/hubgate.jar").toString(), "io.hubgate.training.AotTraining", "--seconds", "7");
        assertThat(aotOptions(args)).containsExactly("-XX:AOTCacheOutput=" + dist.resolve("lib/hubgate.aot"));
        assertThat(args).contains("-Xlog:aot=error");
        assertThat(args).contains("-XX:+UseSerialGC", "-Xmx256m"); // trained with the options it will run with

        Path java21 = fakeJava("jdk21", "21");
        Result tooOld = run(Map.of("HUBGATE_JAVA", java21.toString(), "HUBGATE_AOT_CACHE", "",
                "HUBGATE_AOT_TRAIN", "7"), launcher);
        assertThat(tooOld.code()).isEqualTo(1);
        assertThat(tooOld.stderr()).isEqualTo("hubgate: error: an AOT cache needs Java 25 or newer; " + java21
                + " is Java 21\n");
    }
}
