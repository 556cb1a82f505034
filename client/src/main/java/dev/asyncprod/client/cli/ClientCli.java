package dev.asyncprod.client.cli;

/** Placeholder entry point until the client CLI lands (issue 3). */
public final class ClientCli {
    private ClientCli() {
    }

    public static void main(String[] args) {
        System.err.println("client CLI: not built yet");
        System.exit(2);
    }
}
