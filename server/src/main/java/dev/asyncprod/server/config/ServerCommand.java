package dev.asyncprod.server.config;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The server's command line: one mixin per group of flags ({@link OptionGroup}), declared in the
 * order {@code --help} and {@code docs/configuration.md} show them. Each mixin owns its flags,
 * their environment twins, defaults and checks, and builds its own part of {@link ServerConfig}.
 */
@Command(name = "server.jar", mixinStandardHelpOptions = true, version = "asyncprod server 0.1.0", sortOptions = false,
        usageHelpAutoWidth = true, abbreviateSynopsis = true,
        description = {"HTTP service that serves the same API as an event loop (async), "
                + "a bounded platform-thread pool (blocking) or a virtual thread per request (virtual).",
                "",
                "Every flag has an environment-variable twin, named under it; the flag wins. Durations are written"
                        + " 500ms, 60s, 2m or 24h (a bare number is seconds); sizes 65536, 64k or 1m."})
public final class ServerCommand {

    @Spec
    CommandSpec spec;

    @Mixin
    ExecutionOptions execution = new ExecutionOptions();

    @Mixin
    ListenOptions listen = new ListenOptions();

    @Mixin
    TlsOptions tls = new TlsOptions();

    @Mixin
    LimitOptions limits = new LimitOptions();

    @Mixin
    ProcessOptions process = new ProcessOptions();

    @Mixin
    UpstreamOptions upstream = new UpstreamOptions();

    @Mixin
    EmailOptions email = new EmailOptions();

    @Mixin
    DbOptions db = new DbOptions();

    @Mixin
    LoggingOptions logging = new LoggingOptions();

    @Mixin
    AdminOptions admin = new AdminOptions();

    /** Parses and validates {@code args}; throws {@link ParameterException} with a one-line reason. */
    public static ServerConfig parse(String... args) {
        ServerCommand command = new ServerCommand();
        CommandLine cli = newCommandLine(command);
        cli.parseArgs(args);
        return command.toConfig();
    }

    /** The command line of {@code command}, its {@code --help} grouped by {@link OptionGroup}. */
    public static CommandLine newCommandLine(ServerCommand command) {
        return GroupedHelp.install(new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true));
    }

    /** Checks every group's values and builds the configuration; throws {@link ParameterException} at the first bad one. */
    public ServerConfig toConfig() {
        FlagCheck check = new FlagCheck(spec != null ? spec.commandLine() : new CommandLine(this));
        return new ServerConfig(execution.toConfig(check), listen.toConfig(check), tls.toConfig(check),
                limits.toConfig(check), process.toConfig(check), upstream.toConfig(check), email.toConfig(check),
                db.toConfig(check), logging.toConfig(check), admin.toConfig(check));
    }
}
