package dev.asyncprod.server.config;

import java.time.Duration;

/**
 * What the server says about itself. From {@link LoggingOptions}, where the defaults and their
 * sources are.
 *
 * @param level            {@code trace} to {@code error}, or {@code off}; lower case
 * @param format           {@code text} or {@code json}
 * @param accessLog        {@code stdout}, {@code off} or a file
 * @param blockedThreshold an event loop blocked this long is warned of, with its stack
 * @param debugEndpoints   serve {@code /debug/block}
 */
public record LoggingConfig(String level, String format, String accessLog, Duration blockedThreshold,
                            boolean debugEndpoints) {
}
