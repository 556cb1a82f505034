package dev.asyncprod.cli;

import dev.asyncprod.common.cli.CliErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar client-cli/target/client.jar <command>}: the service from a terminal. */
@Command(name = "client.jar", mixinStandardHelpOptions = true, version = "asyncprod client 0.1.0",
        description = "Talk to the service: replay the sleeper demo, send one request, or look at its tasks.",
        subcommands = {GatherCommand.class, GetCommand.class, TasksCommand.class, WhereCommand.class})
public final class ClientCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return CliErrors.oneLine(new CommandLine(new ClientCli()));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
