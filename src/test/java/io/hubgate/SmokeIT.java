package io.hubgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SmokeIT {
    @Test
    void shadedJarExists() {
        assertThat(Files.isRegularFile(Path.of(System.getProperty("hubgate.jar")))).isTrue();
    }
}
