package dev.asyncprod.server.config;

/**
 * What runs the handlers of the work routes. From {@link ExecutionOptions}, where the defaults and
 * their sources are.
 *
 * @param mode            the execution model
 * @param blockingThreads the most platform threads of the blocking pool
 * @param blockingQueue   requests that may wait for one of them before a 503
 */
public record ExecutionConfig(Mode mode, int blockingThreads, int blockingQueue) {
}
