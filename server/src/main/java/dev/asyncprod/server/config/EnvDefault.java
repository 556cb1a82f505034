package dev.asyncprod.server.config;

import java.lang.reflect.Field;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * A flag's environment twin and built-in default, as its {@code defaultValue = "${env:NAME:-default}"}
 * writes them. Read from the annotation, not from picocli's model, which has already looked the
 * variable up: {@code --help} and the configuration page show the built-in default, whatever the
 * environment of the process that prints them.
 *
 * @param variable the environment variable, e.g. {@code PORT}
 * @param value    the default without it, e.g. {@code 8080}; empty where the flag's own text says what empty means
 */
record EnvDefault(String variable, String value) {

    private static final Pattern FORM = Pattern.compile("\\$\\{env:([A-Z][A-Z0-9_]*):-(.*)}");

    /** The twin and default of {@code option}, or empty for a flag without one ({@code --help}, {@code --version}). */
    static Optional<EnvDefault> of(OptionSpec option) {
        if (!(option.userObject() instanceof Field field) || !field.isAnnotationPresent(Option.class)) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(field.getAnnotation(Option.class).defaultValue());
        return m.matches() ? Optional.of(new EnvDefault(m.group(1), m.group(2))) : Optional.empty();
    }

    /** The default as a reader sees it: {@code empty} rather than nothing. */
    String shown() {
        return value.isEmpty() ? "empty" : value;
    }
}
