package dev.asyncprod.server.ops;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/** Applies {@code --log-level} and {@code --log-format} to the logback configuration in logback.xml. */
public final class LogSetup {

    private LogSetup() {
    }

    public static void apply(String level, String format) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.INFO));
        if ("json".equals(format)) {
            // One JSON object per line for log shippers, its MDC (request_id, trace_id, ...) as fields.
            for (Logger logger : context.getLoggerList()) {
                for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                    useJson(it.next(), context);
                }
            }
        }
    }

    /**
     * Writes out every line still queued in the asynchronous appender and stops logging: for the
     * last thing before a deliberate exit, so the drain's final line is never lost to the race
     * between the JVM's shutdown hooks.
     */
    public static void flushAndStop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }

    /** Runs {@code task} with only warnings and errors logged: for work that is not the server's own (the warm-up). */
    public static void quietly(Runnable task) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        root.setLevel(Level.WARN);
        try {
            task.run();
        } finally {
            root.setLevel(level);
        }
    }

    private static void useJson(Appender<ILoggingEvent> appender, LoggerContext context) {
        if (appender instanceof AsyncAppender async) {
            for (Iterator<Appender<ILoggingEvent>> inner = async.iteratorForAppenders(); inner.hasNext(); ) {
                useJson(inner.next(), context);
            }
        } else if (appender instanceof ConsoleAppender<ILoggingEvent> console) {
            JsonLogEncoder json = new JsonLogEncoder();
            json.setContext(context);
            json.start();
            console.stop();
            console.setEncoder(json);
            console.start();
        }
    }
}
