package io.hubgate;

import io.hubgate.cli.CliOutcome;
import io.hubgate.cli.HubgateCli;
import io.hubgate.config.HubgateConfig;
import io.hubgate.lifecycle.HubgateServer;
import io.hubgate.lifecycle.ServerParts;
import io.hubgate.lifecycle.Signals;
import io.hubgate.lifecycle.StartupException;
import io.hubgate.logging.Logging;
import io.hubgate.store.StoreException;
import io.hubgate.tls.TlsConfigException;
import io.hubgate.transport.Listener.ListenException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: parse CHP's command line, start the servers, wait for SIGINT/SIGTERM, drain, exit.
 * Exit codes follow CHP: 1 for configuration and startup errors, 2 after a signal.
 */
public final class Hubgate {

    private Hubgate() {
    }

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
        Logger log = LoggerFactory.getLogger("hubgate");

        // Handle SIGINT/SIGTERM from the start: one arriving during startup (a hub giving up on a slow start)
        // still gets CHP's log line and exit code 2, once startup has finished or failed.
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTermination(name -> {
            log.warn(name.equals("INT") ? "Interrupted" : "Terminated");
            stop.countDown();
        });

        run.warnings().forEach(log::warn);
        logEnabledOptions(config, log);

        HubgateServer server;
        try {
            server = HubgateServer.start(config, ServerParts.from(config));
        } catch (TlsConfigException | ListenException | StoreException | StartupException e) {
            log.error(e.getMessage());
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            log.error("Startup failed: {}", e.toString(), e);
            System.exit(1);
            return;
        }
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.shutdown(config.shutdownGrace()); // also removes the pid file
        System.exit(2);
    }

    private static void logEnabledOptions(HubgateConfig config, Logger log) {
        if (config.autoRewrite()) {
            log.info("AutoRewrite of Location headers enabled.");
        }
        if (config.changeOrigin()) {
            log.info("Change Origin of host headers enabled.");
        }
        if (config.protocolRewrite() != null) {
            log.info("ProtocolRewrite enabled. Rewriting to {}", config.protocolRewrite());
        }
    }
}
