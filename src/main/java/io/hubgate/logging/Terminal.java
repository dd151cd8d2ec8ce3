package io.hubgate.logging;

import java.io.Console;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether standard output is a terminal, so that log levels are only coloured for people. */
final class Terminal {

    private Terminal() {
    }

    static boolean stdoutIsTerminal() {
        // Linux: see what file descriptor 1 really is. A pseudo-terminal or a tty device is a terminal;
        // pipes, files, sockets and /dev/null are not. This looks at stdout alone, unlike System.console().
        Path fd1 = Path.of("/proc/self/fd/1");
        try {
            if (Files.isSymbolicLink(fd1)) {
                String target = Files.readSymbolicLink(fd1).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            }
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            // fall through to the portable check
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // From Java 22 System.console() also exists when redirected; Console.isTerminal() tells the truth.
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 17-21: a console exists only when stdin and stdout are terminals
        }
    }
}
