package dev.asyncprod.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** client.jar run in the test's JVM, as main would run it, with its output captured. */
record CliRun(int exit, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ClientCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** The lines of standard output. */
    java.util.List<String> lines() {
        return out.lines().toList();
    }
}
