package dev.asyncprod.common.cli;

import picocli.CommandLine;

/** The project's CLIs report a bad argument or a failure as one line on stderr, never a usage dump or a stack trace. */
public final class CliErrors {

    /** Exit code for bad arguments (picocli's convention, and the server's). */
    public static final int USAGE = 2;
    /** Exit code for a command that ran and failed. */
    public static final int FAILED = 1;

    private CliErrors() {
    }

    public static CommandLine oneLine(CommandLine cli) {
        cli.setParameterExceptionHandler((e, args) -> {
            System.err.println("error: " + e.getMessage() + " (see --help)");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            System.err.println("error: " + e.getMessage());
            return FAILED;
        });
        return cli;
    }
}
