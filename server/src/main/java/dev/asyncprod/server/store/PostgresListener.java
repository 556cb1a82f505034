package dev.asyncprod.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The store's one long-lived session, on a thread of its own ({@code job-store-listen}): it
 * {@code LISTEN}s for new jobs and wakes whoever asked, renews this replica's leases every third
 * of the lease, and after an outage says the database is back. A lost session is an outage; the
 * thread opens a new one every second until the database answers.
 */
final class PostgresListener implements AutoCloseable {

    /** How long one wait for notifications lasts: how soon the thread sees a renewal due or the store closing. */
    private static final int WAIT_MILLIS = 1_000;
    private static final long RECONNECT_MILLIS = 1_000;

    private final PostgresConnections connections;
    private final PostgresAvailability availability;
    private final Leases leases;
    private final List<Runnable> wakers = new CopyOnWriteArrayList<>();
    private final Thread thread;

    PostgresListener(PostgresConnections connections, PostgresAvailability availability, Leases leases) {
        this.connections = connections;
        this.availability = availability;
        this.leases = leases;
        this.thread = new Thread(this::listen, "job-store-listen");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Calls {@code wake} (on this thread, so it must be quick) when another replica adds a job. */
    void onNewJobs(Runnable wake) {
        wakers.add(wake);
    }

    private void listen() {
        while (!availability.isClosing()) {
            try (Connection db = connections.forListening()) {
                try (Statement s = db.createStatement()) {
                    s.execute("LISTEN " + PostgresJobs.CHANNEL);
                }
                back(); // and wake: NOTIFYs sent while this session was down were lost
                PGConnection pg = db.unwrap(PGConnection.class);
                long nextRenewal = System.currentTimeMillis() + leases.renewEveryMillis();
                while (!availability.isClosing()) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        wakeAll();
                    }
                    if (System.currentTimeMillis() >= nextRenewal) {
                        nextRenewal = System.currentTimeMillis() + leases.renewEveryMillis();
                        leases.renew();
                    }
                    // An outage a call saw while this session lived (the pool exhausted, say) ends when the pool answers.
                    if (availability.isDown() && connections.poolAnswers()) {
                        back();
                    }
                }
            } catch (SQLException e) {
                if (availability.isClosing()) {
                    return;
                }
                availability.lost(e);
                try {
                    Thread.sleep(RECONNECT_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void back() {
        availability.regained();
        wakeAll();
    }

    private void wakeAll() {
        wakers.forEach(Runnable::run);
    }

    /** Stops the thread, waiting a couple of seconds at most; the store has said it is closing. */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
