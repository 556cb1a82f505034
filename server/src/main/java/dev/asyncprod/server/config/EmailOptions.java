package dev.asyncprod.server.config;

import dev.asyncprod.common.cli.DurationConverter;
import java.net.InetSocketAddress;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The flags of {@code POST /email}'s background work: how jobs are delivered, where they are kept, for how long. */
final class EmailOptions implements OptionGroup {

    @Option(names = "--smtp", defaultValue = "${env:SMTP:-}",
            description = "host:port of the SMTP relay that delivers POST /email; empty means the built-in mailbox.")
    String smtp;

    @Option(names = "--email-latency", defaultValue = "${env:EMAIL_LATENCY:-1s}", converter = DurationConverter.class,
            description = "How long the built-in mailbox takes per message. The default is \"sending an email that"
                    + " will delay for a second\", in the post this project grew from.")
    Duration emailLatency;

    @Option(names = "--email-concurrency", defaultValue = "${env:EMAIL_CONCURRENCY:-100}",
            description = "Background deliveries at once.")
    int emailConcurrency;

    @Option(names = "--smtp-connections", defaultValue = "${env:SMTP_CONNECTIONS:-20}",
            description = "SMTP connections open at once, idle ones included and reused; more deliveries wait their"
                    + " turn. The default is Postfix's default_destination_concurrency_limit, the connections it opens"
                    + " to one destination.")
    int smtpConnections;

    @Option(names = "--smtp-timeout", defaultValue = "${env:SMTP_TIMEOUT:-30s}", converter = DurationConverter.class,
            description = "Longest the SMTP connect or any one reply may take, then the attempt is retried; also how"
                    + " long an idle pooled connection stays open. The default is well under the minimum server"
                    + " timeouts of RFC 5321 section 4.5.3.2 (5 min), so a stuck relay is noticed.")
    Duration smtpTimeout;

    @Option(names = "--email-max-attempts", defaultValue = "${env:EMAIL_MAX_ATTEMPTS:-8}",
            description = "Attempts per email before a transiently failing job is marked failed.")
    int emailMaxAttempts;

    @Option(names = "--email-retry-base", defaultValue = "${env:EMAIL_RETRY_BASE:-1s}", converter = DurationConverter.class,
            description = "Wait before the first retry; each later one doubles it, with jitter, up to 10 min.")
    Duration emailRetryBase;

    @Option(names = "--email-from", defaultValue = "${env:EMAIL_FROM:-asyncprod@localhost}",
            description = "Sender address of every email.")
    String emailFrom;

    @Option(names = "--jobs", defaultValue = "${env:JOBS:-sqlite}",
            description = "Where email jobs are kept: sqlite (a file in --data-dir, for one process) or"
                    + " postgresql://user[:password]@host[:port]/database, one queue every replica shares.")
    String jobs;

    @Option(names = "--job-lease", defaultValue = "${env:JOB_LEASE:-45s}", converter = DurationConverter.class,
            description = "With PostgreSQL: how long a replica's claim on a job holds without renewal (it renews every"
                    + " third of this); a replica that dies loses its jobs to the others after this. The default is"
                    + " longer than --smtp-timeout's 30 s, so one slow SMTP step never loses a claim.")
    Duration jobLease;

    @Option(names = "--job-retention", defaultValue = "${env:JOB_RETENTION:-24h}", converter = DurationConverter.class,
            description = "How long sent and failed jobs, and so their idempotency keys, are kept; swept at least"
                    + " every minute. The default is Celery's result_expires, and how long Stripe keeps an idempotency key.")
    Duration jobRetention;

    @Override
    public String heading() {
        return "Email: POST /email and its jobs";
    }

    EmailConfig toConfig(FlagCheck check) {
        InetSocketAddress relay = null;
        if (!smtp.isBlank()) {
            int colon = smtp.lastIndexOf(':');
            int relayPort = colon > 0 ? TcpPort.parse(smtp.substring(colon + 1)) : -1;
            check.require(relayPort > 0, "--smtp must be host:port, got '" + smtp + "'");
            relay = InetSocketAddress.createUnresolved(smtp.substring(0, colon), relayPort);
        }
        check.require(emailLatency.toMillis() >= 0, "--email-latency must not be negative");
        check.require(emailConcurrency >= 1 && emailConcurrency <= 10_000, "--email-concurrency must be from 1 to 10000");
        check.require(smtpConnections >= 1, "--smtp-connections must be at least 1");
        check.require(smtpTimeout.toMillis() > 0, "--smtp-timeout must be positive");
        check.require(emailMaxAttempts >= 1, "--email-max-attempts must be at least 1");
        check.require(emailRetryBase.toMillis() > 0, "--email-retry-base must be positive");
        check.require(emailFrom.contains("@") && emailFrom.chars().noneMatch(c -> c <= ' ' || c == '<' || c == '>'),
                "--email-from must be an address, got '" + emailFrom + "'");
        check.require(jobLease.toSeconds() >= 1, "--job-lease must be at least 1s");
        check.require(jobRetention.toMillis() > 0, "--job-retention must be positive");
        return new EmailConfig(relay, emailLatency, emailConcurrency, smtpConnections, smtpTimeout,
                emailMaxAttempts, emailRetryBase, emailFrom, jobLease, jobRetention, sharedJobStore(check));
    }

    /** The PostgreSQL every replica shares, or null for SQLite in the data folder. */
    private PostgresUrl sharedJobStore(FlagCheck check) {
        if (jobs.strip().equalsIgnoreCase("sqlite")) {
            return null;
        }
        try {
            return PostgresUrl.parse(jobs);
        } catch (IllegalArgumentException e) {
            throw check.failure("--jobs must be sqlite or postgresql://user[:password]@host[:port]/database: " + e.getMessage());
        }
    }
}
