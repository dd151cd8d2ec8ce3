package io.hubgate.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders {@code --help}: CHP's options in CHP's order, under section headings, followed by the
 * environment variables. Laid out like commander's help (labels in a 35-column gutter, wrapped at 80).
 */
final class HelpText {

    private static final int WIDTH = 80;
    private static final int GUTTER = 37; // two-space indent + 35-column label field

    private static final String[][] ENVIRONMENT = {
        {"CONFIGPROXY_AUTH_TOKEN",
            "Token for the REST API (clients send 'Authorization: token <token>'). "
                    + "Unset or empty: the API is not authenticated."},
        {"CONFIGPROXY_AUTH_TOKEN_FILE",
            "File holding the API token (trailing newlines ignored). Cannot be combined with "
                    + "CONFIGPROXY_AUTH_TOKEN."},
        {"CONFIGPROXY_SSL_KEY_PASSPHRASE", "Passphrase for --ssl-key."},
        {"CONFIGPROXY_API_SSL_KEY_PASSPHRASE", "Passphrase for --api-ssl-key."},
        {"HUBGATE_JAVA, JAVA_HOME", "Java runtime used by bin/hubgate (Java 17 or newer)."},
        {"HUBGATE_HEAP, HUBGATE_DIRECT_MEMORY", "Heap and direct-memory limits set by bin/hubgate (default 64m each)."},
        {"HUBGATE_JAVA_OPTS", "Extra JVM options added by bin/hubgate."},
        {"HUBGATE_JAR", "Jar started by bin/hubgate (default: lib/hubgate.jar or target/hubgate.jar)."},
    };

    private HelpText() {
    }

    static String render() {
        StringBuilder out = new StringBuilder();
        out.append("Usage: hubgate [options]\n");
        out.append("       configurable-http-proxy [options]\n\n");
        out.append("Hubgate ").append(HubgateCli.version())
                .append(": a drop-in replacement for configurable-http-proxy 5.3,\n")
                .append("the proxy in front of JupyterHub.\n");
        ChpOption.Section current = null;
        for (ChpOption option : ChpOption.values()) {
            if (option.section != current) {
                current = option.section;
                out.append('\n').append(current.heading).append(":\n");
            }
            entry(out, option.label, option.description);
        }
        out.append("\nEnvironment variables:\n");
        for (String[] variable : ENVIRONMENT) {
            entry(out, variable[0], variable[1]);
        }
        return out.toString();
    }

    private static void entry(StringBuilder out, String label, String description) {
        String head = "  " + label;
        List<String> lines = wrap(description, WIDTH - GUTTER);
        if (head.length() + 1 > GUTTER) {
            // Label too long for the gutter: description starts on the next line.
            out.append(head).append('\n');
            head = "";
        }
        for (String line : lines) {
            out.append(head).append(" ".repeat(GUTTER - head.length())).append(line).append('\n');
            head = "";
        }
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
