package dev.asyncprod.server.config;

import dev.asyncprod.common.cli.DurationConverter;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The flags of what the server says about itself: its log, its access log, and the diagnostics of a blocked loop. */
final class LoggingOptions implements OptionGroup {

    @Option(names = "--log-level", defaultValue = "${env:LOG_LEVEL:-info}",
            description = "trace | debug | info | warn | error | off; warn and above also turn the access log off, for"
                    + " benchmarks.")
    String logLevel;

    @Option(names = "--log-format", defaultValue = "${env:LOG_FORMAT:-text}",
            description = "text | json; json writes every line as one JSON object, its fields as fields.")
    String logFormat;

    @Option(names = "--access-log", defaultValue = "${env:ACCESS_LOG:-stdout}",
            description = "Where the access log goes: stdout, off, or a file to append to; written off the event loop,"
                    + " in batches. The default is where a container's logs are collected; nginx's access_log takes a"
                    + " path or off the same way.")
    String accessLog;

    @Option(names = "--blocked-threshold", defaultValue = "${env:BLOCKED_THRESHOLD:-100ms}", converter = DurationConverter.class,
            description = "Warn, with the stack, when an event loop is blocked this long. The default is asyncio's"
                    + " slow_callback_duration in debug mode.")
    Duration blockedThreshold;

    @Option(names = "--debug-endpoints", defaultValue = "${env:DEBUG_ENDPOINTS:-false}",
            description = "Serve /debug/block?ms=N, which blocks an event loop on purpose.")
    boolean debugEndpoints;

    @Override
    public String heading() {
        return "Logging and diagnostics";
    }

    LoggingConfig toConfig(FlagCheck check) {
        String level = logLevel.toLowerCase(Locale.ROOT);
        check.require(level.matches("trace|debug|info|warn|error|off"),
                "--log-level must be one of trace, debug, info, warn, error, off; got '" + logLevel + "'");
        String format = logFormat.toLowerCase(Locale.ROOT);
        check.require(format.equals("text") || format.equals("json"), "--log-format must be text or json, got '" + logFormat + "'");
        check.require(!accessLog.isBlank(), "--access-log must be stdout, off or a file");
        check.require(blockedThreshold.toMillis() >= 10, "--blocked-threshold must be at least 10ms");
        return new LoggingConfig(level, format, accessLog.strip(), blockedThreshold, debugEndpoints);
    }
}
