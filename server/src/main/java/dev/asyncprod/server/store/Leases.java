package dev.asyncprod.server.store;

import dev.asyncprod.base.Causes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's claims in the shared store: the name its claims carry ({@code claimed_by}), how
 * long a claim holds without renewal, and the jobs it is delivering now, which alone are renewed.
 * A replica that dies stops renewing, and once its leases run out any replica takes its jobs again.
 */
final class Leases {

    private static final Logger log = LoggerFactory.getLogger(Leases.class);

    private final String owner;
    private final long leaseMillis;
    private final PostgresConnections connections;
    private final StoreExecutor readers;
    private final PostgresAvailability availability;
    /**
     * The jobs this replica is delivering now. A job whose attempt ended without its outcome stored
     * (the database was down) leaves the set, so its lease runs out and it is delivered again (at
     * least once) rather than held forever by a live replica.
     */
    private final Set<String> held = ConcurrentHashMap.newKeySet();

    /** @param readers where renewals run, beside the store's other queries */
    Leases(Duration lease, PostgresConnections connections, StoreExecutor readers, PostgresAvailability availability) {
        if (lease.toMillis() < 1) {
            throw new IllegalArgumentException("expected a lease of at least 1 ms, got " + lease);
        }
        this.owner = ownerName();
        this.leaseMillis = lease.toMillis();
        this.connections = connections;
        this.readers = readers;
        this.availability = availability;
    }

    /** Host, process and a random suffix: unique among replicas, and readable in the table. */
    private static String ownerName() {
        String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        byte[] random = new byte[3];
        ThreadLocalRandom.current().nextBytes(random);
        return host + ":" + ProcessHandle.current().pid() + ":" + HexFormat.of().formatHex(random);
    }

    /** The name this replica's claims carry. */
    String owner() {
        return owner;
    }

    /** When a claim made at {@code nowMillis} runs out unless renewed. */
    long until(long nowMillis) {
        return nowMillis + leaseMillis;
    }

    /** How often the listener renews: every third of the lease, so two renewals may fail before a lease runs out. */
    long renewEveryMillis() {
        return leaseMillis / 3;
    }

    /** This replica is delivering the job now: renew its lease until {@link #letGo}. */
    void hold(String jobId) {
        held.add(jobId);
    }

    /** The attempt ended (its outcome stored or not): stop renewing. */
    void letGo(String jobId) {
        held.remove(jobId);
    }

    /**
     * Extends every lease held, on a reader thread; the caller does not wait. A failure only tells
     * the availability state: a lease that cannot be renewed runs out, and the job is sent again.
     */
    void renew() {
        if (held.isEmpty()) {
            return;
        }
        List<String> ids = List.copyOf(held);
        readers.submit(() -> {
            try (Connection db = connections.pooled()) {
                return PostgresJobs.renewLeases(db, owner, ids, until(System.currentTimeMillis()));
            } catch (SQLException e) {
                availability.noteFailure(e);
                return 0;
            }
        });
    }

    /**
     * Puts back every job this replica still holds, due now, so another replica takes it at once
     * rather than when its lease runs out. At close; a failure only costs that wait.
     */
    void releaseAll() {
        try (Connection db = connections.pooled()) {
            int released = PostgresJobs.releaseClaims(db, owner, System.currentTimeMillis());
            if (released > 0) {
                log.info("released {} email jobs this replica was sending; another replica sends them", released);
            }
        } catch (SQLException e) {
            log.warn("could not release this replica's claims (they expire with their lease): {}", Causes.rootMessage(e));
        }
    }
}
