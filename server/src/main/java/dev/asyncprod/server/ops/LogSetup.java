package dev.asyncprod.server.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
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
            // One JSON object per line for log shippers; it carries the MDC (request_id, parent_id) as fields.
            OutputStreamAppender<ILoggingEvent> stdout = findConsole(context);
            if (stdout != null) {
                JsonEncoder json = new JsonEncoder();
                json.setContext(context);
                json.setWithFormattedMessage(true); // the line as a person reads it, not a template and its arguments
                json.setWithMessage(false);
                json.setWithArguments(false);
                json.setWithContext(false);
                json.setWithSequenceNumber(false);
                json.start();
                stdout.stop();
                stdout.setEncoder(json);
                stdout.start();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static OutputStreamAppender<ILoggingEvent> findConsole(LoggerContext context) {
        for (Logger logger : context.getLoggerList()) {
            var appenders = logger.iteratorForAppenders();
            while (appenders.hasNext()) {
                var appender = appenders.next();
                if (appender instanceof ConsoleAppender<ILoggingEvent> console) {
                    return console;
                }
                if (appender instanceof ch.qos.logback.classic.AsyncAppender async) {
                    var inner = async.getAppender("STDOUT");
                    if (inner instanceof ConsoleAppender<?> console) {
                        return (OutputStreamAppender<ILoggingEvent>) console;
                    }
                }
            }
        }
        return null;
    }
}
