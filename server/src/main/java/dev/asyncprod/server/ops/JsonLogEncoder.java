package dev.asyncprod.server.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * {@code --log-format json} for logback: every event one {@link JsonLogLine}, its MDC entries
 * ({@code request_id}, {@code parent_id}, {@code trace_id}, {@code span_id}) and key-value pairs as
 * top-level fields, a stack trace as {@code exception}.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try {
            JsonLogLine line = new JsonLogLine(bytes)
                    .begin(event.getTimeStamp(), event.getLevel().toString(), event.getLoggerName(), event.getThreadName(),
                            event.getFormattedMessage());
            for (Map.Entry<String, String> mdc : event.getMDCPropertyMap().entrySet()) {
                line.field(mdc.getKey(), mdc.getValue());
            }
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair kv : event.getKeyValuePairs()) {
                    line.field(kv.key, String.valueOf(kv.value));
                }
            }
            if (event.getThrowableProxy() != null) {
                line.field("exception", ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            line.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        }
        return bytes.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
