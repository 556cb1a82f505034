package dev.asyncprod.server.config;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How accepted email is kept and delivered. From {@link EmailOptions}, where the defaults and their
 * sources are.
 *
 * @param smtp             the SMTP relay to deliver to, or null for the built-in mailbox
 * @param mailboxLatency   how long the built-in mailbox takes per message
 * @param concurrency      background deliveries at once
 * @param smtpConnections  SMTP connections open at once, background and {@code ?wait=true} together
 * @param smtpTimeout      the longest one SMTP step (connect, a reply) may take
 * @param maxAttempts      attempts before a job that keeps failing transiently is marked failed
 * @param retryBase        the first retry's delay; each later one doubles it
 * @param from             the envelope and header sender
 * @param jobLease         how long a replica's claim on a job holds without renewal (shared store only)
 * @param jobRetention     how long finished jobs, and so their idempotency keys, are kept
 * @param jobStore         the PostgreSQL job store replicas share, or null for SQLite in the data folder
 */
public record EmailConfig(InetSocketAddress smtp, Duration mailboxLatency, int concurrency,
                          int smtpConnections, Duration smtpTimeout, int maxAttempts, Duration retryBase,
                          String from, Duration jobLease, Duration jobRetention, PostgresUrl jobStore) {
}
