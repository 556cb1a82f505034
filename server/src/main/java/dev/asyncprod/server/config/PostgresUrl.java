package dev.asyncprod.server.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * A PostgreSQL URL as libpq and every PostgreSQL tool write it,
 * {@code postgresql://user[:password]@host[:port]/database}, turned into what JDBC wants. The
 * password never leaves this class except to the driver: {@link #toString()} leaves it out.
 */
public record PostgresUrl(String host, int port, String database, String user, String password) {

    /** libpq's default port. */
    public static final int DEFAULT_PORT = 5432;

    /** Parses {@code postgresql://} or {@code postgres://}; throws IllegalArgumentException with a one-line reason. */
    public static PostgresUrl parse(String text) {
        URI uri;
        try {
            uri = URI.create(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage());
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException("expected postgresql://user[:password]@host[:port]/database");
        }
        String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        String[] userInfo = uri.getRawUserInfo() == null ? new String[] {""} : uri.getRawUserInfo().split(":", 2);
        if (uri.getHost() == null || database.isEmpty() || userInfo[0].isEmpty()) {
            throw new IllegalArgumentException("a host, a user and a database are required: postgresql://user[:password]@host[:port]/database");
        }
        // URI keeps an IPv6 literal's brackets; the host is the address, and jdbcUrl() brackets it again.
        String host = uri.getHost().replaceFirst("^\\[(.*)]$", "$1");
        return new PostgresUrl(host, uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), database,
                decode(userInfo[0]), userInfo.length == 2 ? decode(userInfo[1]) : null);
    }

    /** Percent-decoding as libpq does it; URLDecoder is for forms, where a + would become a space. */
    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    public String jdbcUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + database;
    }

    /**
     * The driver's settings: fail a connect within two seconds and a silent socket within fifteen,
     * so an outage gives a 503, never a hang; keep-alives find a dead peer behind a quiet connection.
     */
    public Properties driverProperties(String applicationName) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", applicationName);
        p.setProperty("connectTimeout", "2");
        p.setProperty("socketTimeout", "15");
        p.setProperty("tcpKeepAlive", "true");
        return p;
    }

    /** The URL without its password, for logs, the banner and {@code /info}. */
    @Override
    public String toString() {
        return "postgresql://" + user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
    }
}
