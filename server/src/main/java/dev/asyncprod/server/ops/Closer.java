package dev.asyncprod.server.ops;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes what a component opened, last opened first, once: each resource joins as it is created,
 * so a start that fails half-way unwinds exactly what it had, in the same order as a normal stop.
 * A failure to close one is logged and the rest are still closed.
 */
public final class Closer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Closer.class);

    private final Deque<Entry> resources = new ArrayDeque<>();

    private record Entry(String name, AutoCloseable resource) {
    }

    /** Registers {@code resource} to be closed before everything registered earlier; returns it. */
    public synchronized <T extends AutoCloseable> T add(String name, T resource) {
        resources.push(new Entry(name, resource));
        return resource;
    }

    @Override
    public void close() {
        Entry next;
        while ((next = pop()) != null) {
            try {
                next.resource().close();
            } catch (Exception e) {
                log.warn("closing {}: {}", next.name(), e.toString());
            } catch (Error e) {
                log.error("closing {}", next.name(), e);
            }
        }
    }

    private synchronized Entry pop() {
        return resources.poll();
    }
}
