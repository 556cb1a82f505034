package dev.asyncprod.server.config;

/**
 * The admin listener. From {@link AdminOptions}, where the defaults and their sources are.
 *
 * @param host     the address it listens on
 * @param port     the port, or the first of the range to try; 0: no admin listener
 * @param lastPort the end of the range to try
 * @param token    the bearer token every admin request must carry, or null for none
 */
public record AdminConfig(String host, int port, int lastPort, String token) {

    public boolean enabled() {
        return port > 0;
    }

    /** {@code 8081}, or {@code 8091-8099} for a range: as {@code --admin-port} wrote it. */
    public String ports() {
        return port == lastPort ? Integer.toString(port) : port + "-" + lastPort;
    }

    @Override
    public String toString() { // never the token itself: configs get logged
        return "AdminConfig[host=" + host + ", port=" + port + ", lastPort=" + lastPort + ", token="
                + (token == null ? "none" : "set") + "]";
    }
}
