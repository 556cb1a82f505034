package dev.asyncprod.load;

/** Placeholder entry point until the load generator lands (issue 4). */
public final class LoadMain {
    private LoadMain() {
    }

    public static void main(String[] args) {
        System.err.println("load generator: not built yet");
        System.exit(2);
    }
}
