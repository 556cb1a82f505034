package dev.asyncprod.server.config;

/** A TCP port as a flag writes it: {@code --port}'s ends, {@code --smtp}'s port. */
final class TcpPort {

    private TcpPort() {
    }

    /** The port {@code text} names, or -1 if it is not a whole number from 0 to 65535. */
    static int parse(String text) {
        try {
            int value = Integer.parseInt(text.trim());
            return value <= 65535 && value >= 0 ? value : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
