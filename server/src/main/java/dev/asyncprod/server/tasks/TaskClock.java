package dev.asyncprod.server.tasks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** A platform thread's CPU time, from the JDK; -1 where it has none (a virtual thread, or switched off). */
final class TaskClock {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean SUPPORTED = THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();

    private TaskClock() {
    }

    /** The calling thread's CPU time in nanoseconds, or -1. */
    static long cpuNanos() {
        return SUPPORTED ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /** Another platform thread's CPU time so far, or -1 (a virtual thread, or one that ended). */
    static long cpuNanos(Thread thread) {
        return SUPPORTED && thread != null && !thread.isVirtual() ? THREADS.getThreadCpuTime(thread.threadId()) : -1;
    }
}
