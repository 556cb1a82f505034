package dev.asyncprod.server.config;

import picocli.CommandLine.Option;

/** The admin listener's flags: where the live task view and the debug endpoints answer, and who may ask. */
final class AdminOptions implements OptionGroup {

    @Option(names = "--admin-host", defaultValue = "${env:ADMIN_HOST:-127.0.0.1}",
            description = "Address of the admin listener. The default is loopback: the task view names every request"
                    + " in flight, so it is not served to the network unless asked for (and then with --admin-token).")
    String host;

    @Option(names = "--admin-port", defaultValue = "${env:ADMIN_PORT:-8081}",
            description = "Port of the admin listener (/debug/tasks, /debug/block); 0 turns it off; a range such as"
                    + " 9211-9213 takes the first free one. The default is Dropwizard's admin port, beside 8080.")
    String port;

    @Option(names = "--admin-token", defaultValue = "${env:ADMIN_TOKEN:-}",
            description = "A bearer token the admin listener requires (Authorization: Bearer TOKEN); empty: none. Prefer"
                    + " the environment variable: a flag shows in the process list.")
    String token;

    @Override
    public String heading() {
        return "Admin listener";
    }

    AdminConfig toConfig(FlagCheck check) {
        PortRange ports = PortRange.parse(port, "--admin-port", check);
        String t = token == null ? "" : token.strip();
        check.require(t.isEmpty() || t.chars().allMatch(c -> c > 0x20 && c < 0x7f),
                "--admin-token must be printable ASCII without spaces");
        return new AdminConfig(host, ports.first(), ports.last(), t.isEmpty() ? null : t);
    }
}
