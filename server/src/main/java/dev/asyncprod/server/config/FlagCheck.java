package dev.asyncprod.server.config;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** A flag value's check: a broken expectation becomes picocli's one-line error, which {@code Main} prints. */
final class FlagCheck {

    private final CommandLine commandLine;

    FlagCheck(CommandLine commandLine) {
        this.commandLine = commandLine;
    }

    /** Throws {@link ParameterException} with {@code message} unless {@code ok}. */
    void require(boolean ok, String message) {
        if (!ok) {
            throw failure(message);
        }
    }

    /** The error to throw where there is no value to return: {@code throw check.failure(...)}. */
    ParameterException failure(String message) {
        return new ParameterException(commandLine, message);
    }
}
