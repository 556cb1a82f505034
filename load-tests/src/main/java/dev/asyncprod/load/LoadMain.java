package dev.asyncprod.load;

import dev.asyncprod.load.clientbench.ClientBench;
import dev.asyncprod.load.reference.BareNettyServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar load-tests/target/load-tests.jar <command>}. */
@Command(name = "load-tests.jar", mixinStandardHelpOptions = true,
        description = "Load testing tools for the service.",
        subcommands = {BareNettyServer.class, ClientBench.class})
public final class LoadMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadMain()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
