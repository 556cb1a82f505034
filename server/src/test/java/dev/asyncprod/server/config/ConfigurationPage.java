package dev.asyncprod.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code docs/configuration.md}, made from {@link ServerCommand}'s picocli model: a fixed header,
 * then one section per {@link OptionGroup} in the command's order, one row per flag with its names,
 * environment twin, built-in default and description. Nothing about a flag is written here.
 */
final class ConfigurationPage {

    static final String REGENERATE = "./mvnw -B test -pl server -am -Dtest=ConfigurationPageTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Ddocs.regenerate=true";

    private static final String HEADER = """
            # Configuration

            <!-- Generated from the flags in server/src/main/java/dev/asyncprod/server/config (ConfigurationPage);
                 edit their descriptions there, then regenerate this page:
                 %s -->

            `server.jar` (and `./serve`, which passes its flags through) takes every setting as a flag or as
            the flag's environment variable: `--max-inflight 500` or `MAX_INFLIGHT=500`. The flag wins over
            the variable, the variable over the default. `--help` prints this same list, group by group.

            - Durations are a whole number and a unit: `500ms`, `60s`, `2m`, `24h`; a bare number is seconds.
            - Sizes are bytes or binary multiples: `65536`, `64k`, `1m`.
            - Where a default is empty, the flag's description says what empty means.

            A bad value is one line on stderr and exit code 2:

            ```console
            $ bin/java -jar server/target/server.jar --port abc
            error: --port must be from 0 to 65535 or a range like 9201-9203, got abc (see --help)
            ```
            """;

    private ConfigurationPage() {
    }

    static String render(CommandSpec command) {
        List<CommandSpec> groups = groupsOf(command);
        StringBuilder page = new StringBuilder(HEADER.formatted(REGENERATE)).append('\n');
        List<String> links = new ArrayList<>();
        for (CommandSpec group : groups) {
            String heading = heading(group);
            links.add("[" + heading + "](#" + anchor(heading) + ")");
        }
        page.append("Groups: ").append(String.join(" · ", links)).append(".\n");
        for (CommandSpec group : groups) {
            page.append("\n## ").append(heading(group)).append("\n\n")
                    .append("| flag | env | default | what it does |\n")
                    .append("|---|---|---|---|\n");
            for (OptionSpec option : group.options()) {
                page.append(row(option));
            }
        }
        return page.toString();
    }

    /** The command's mixins that are {@link OptionGroup}s, as declared; picocli's own help mixin is not one. */
    static List<CommandSpec> groupsOf(CommandSpec command) {
        return command.mixins().values().stream().filter(m -> m.userObject() instanceof OptionGroup).toList();
    }

    private static String heading(CommandSpec group) {
        return ((OptionGroup) group.userObject()).heading();
    }

    private static String row(OptionSpec option) {
        EnvDefault twin = EnvDefault.of(option)
                .orElseThrow(() -> new IllegalStateException(option.longestName() + " has no ${env:NAME:-default}"));
        List<String> names = new ArrayList<>();
        for (String name : option.names()) {
            names.add("`" + name + "`");
        }
        String fallback = twin.value().isEmpty() ? "empty" : "`" + twin.value() + "`";
        return "| " + String.join(", ", names) + " | `" + twin.variable() + "` | " + fallback + " | "
                + cell(String.join(" ", option.description())) + " |\n";
    }

    /** Description text as a table cell: no raw pipes or angle brackets, flag names as code. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
                .replaceAll("(?<![\\w`-])(--[a-z][a-z0-9-]*)", "`$1`");
    }

    /** The id GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
    private static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-');
    }
}
