package io.hubgate.cli;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The JDKs under {@code /usr/lib/jvm}, for tests that need a newer Java than the one running Maven. */
final class InstalledJdks {

    private static final Pattern JAVA_VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

    private InstalledJdks() {
    }

    /**
     * The java executable of the newest JDK under /usr/lib/jvm, as bin/hubgate would choose it; the calling test is
     * skipped (an assumption, not a failure) when that JDK is older than {@code feature}.
     */
    static Path newestAtLeast(int feature) throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        Optional<Path> best = Optional.empty();
        int bestVersion = 0;
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> dirs = Files.list(jvms)) {
                for (Path dir : dirs.toList()) {
                    Path release = dir.resolve("release");
                    Path java = dir.resolve("bin/java");
                    if (!Files.isReadable(release) || !Files.isExecutable(java)) {
                        continue;
                    }
                    Matcher m = JAVA_VERSION.matcher(Files.readString(release));
                    if (m.find() && Integer.parseInt(m.group(1)) > bestVersion) {
                        bestVersion = Integer.parseInt(m.group(1));
                        best = Optional.of(java);
                    }
                }
            }
        }
        assumeThat(bestVersion).as("a Java " + feature + "+ under /usr/lib/jvm").isGreaterThanOrEqualTo(feature);
        return best.orElseThrow();
    }
}
