package dev.asyncprod.common.cli;

import java.util.Locale;
import picocli.CommandLine;

/** Reads a byte count: {@code 65536}, {@code 64k}, {@code 1m} (binary multiples). */
public final class ByteSizeConverter implements CommandLine.ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT).replaceAll("i?b$", "");
        long multiplier = 1;
        if (text.endsWith("k")) {
            multiplier = 1024;
        } else if (text.endsWith("m")) {
            multiplier = 1024 * 1024;
        }
        if (multiplier > 1) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            long bytes = Long.parseLong(text) * multiplier;
            if (bytes < 0 || bytes > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (int) bytes;
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("expected a size such as 65536, 64k or 1m, got '" + value + "'");
        }
    }
}
