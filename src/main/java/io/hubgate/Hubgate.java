package io.hubgate;

import io.hubgate.cli.CliOutcome;
import io.hubgate.cli.HubgateCli;
import io.hubgate.config.HubgateConfig;
import io.hubgate.logging.Logging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class Hubgate {
    public static void main(String[] args) {
        CliOutcome outcome = HubgateCli.parse(args, System.getenv());
        if (outcome instanceof CliOutcome.Exit exit) {
            System.out.print(exit.stdout());
            System.out.flush();
            System.err.print(exit.stderr());
            System.err.flush();
            System.exit(exit.code());
            return;
        }
        CliOutcome.Run run = (CliOutcome.Run) outcome;
        HubgateConfig config = run.config();
        Logging.configure(config.logLevel());
        Logger log = LoggerFactory.getLogger(Hubgate.class);
        run.warnings().forEach(log::warn);

        // HAND-OFF: start the proxy, API and metrics servers with `config` here (another engineer wires it).
        // Until then the process exits after reading its configuration.
    }
}
