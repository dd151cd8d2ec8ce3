package io.hubgate.cli;

import io.hubgate.config.HubgateConfig;
import java.util.List;

/**
 * What the command line asks for: either run the proxy with a configuration, or exit straight away
 * (help, version, usage error). {@link HubgateCli} never prints or exits itself; the caller does both.
 */
public sealed interface CliOutcome permits CliOutcome.Run, CliOutcome.Exit {

    /**
     * Start the proxy.
     *
     * @param config the validated configuration
     * @param warnings messages CHP logs at warn level while reading its options (e.g. the {@code --ip '*'}
     *        notice); the caller logs each one with the normal logger
     */
    record Run(HubgateConfig config, List<String> warnings) implements CliOutcome {
        public Run {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Print {@code stdout} to standard output and {@code stderr} to standard error (both verbatim, each
     * already ending in a newline when not empty), then exit with {@code code}.
     */
    record Exit(int code, String stdout, String stderr) implements CliOutcome {
    }
}
