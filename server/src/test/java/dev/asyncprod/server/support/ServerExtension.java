package dev.asyncprod.server.support;

import dev.asyncprod.server.Server;
import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.config.ServerCommand;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts real servers, one per requested mode, on ephemeral loopback ports for a test class, and
 * stops them afterwards. Tests speak HTTP to them over real sockets.
 *
 * <pre>{@code @RegisterExtension static final ServerExtension servers = ServerExtension.allModes();}</pre>
 */
public final class ServerExtension implements BeforeAllCallback, AfterAllCallback {

    /** Where the servers' admin listeners go: far from the ephemeral range (32768-60999) that clients' sockets take. */
    static final String ADMIN_PORTS = "21000-21999";

    private final List<Mode> modes;
    private final List<String> extraArgs;
    private final Map<Mode, Server> running = new EnumMap<>(Mode.class);
    private Supplier<List<String>> lateArgs = List::of;

    private ServerExtension(List<Mode> modes, List<String> extraArgs) {
        this.modes = modes;
        this.extraArgs = extraArgs;
    }

    public static ServerExtension allModes(String... extraArgs) {
        return new ServerExtension(List.of(Mode.values()), List.of(extraArgs));
    }

    public static ServerExtension of(Mode mode, String... extraArgs) {
        return new ServerExtension(List.of(mode), List.of(extraArgs));
    }

    /**
     * Flags known only once earlier extensions have started (a mail server's port, say): asked for
     * when the servers start. Register this extension after the ones the flags come from.
     */
    public ServerExtension withLateArgs(Supplier<List<String>> args) {
        this.lateArgs = args;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        for (Mode mode : modes) {
            List<String> args = new ArrayList<>(List.of("--host=127.0.0.1", "--port=0", "--mode=" + mode.label()));
            if (extraArgs.stream().noneMatch(a -> a.startsWith("--data-dir"))) {
                // Each server owns its job store folder, as two processes must.
                args.add("--data-dir=" + Files.createTempDirectory("asyncprod-" + mode.label() + "-"));
            }
            if (extraArgs.stream().noneMatch(a -> a.startsWith("--admin-port"))) {
                // Each server of the extension takes the first free port of the range: none collides on 8081.
                args.add("--admin-port=" + ADMIN_PORTS);
            }
            args.addAll(extraArgs);
            args.addAll(lateArgs.get());
            running.put(mode, Server.start(ServerCommand.parse(args.toArray(String[]::new))));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        running.values().forEach(Server::close);
        running.clear();
    }

    public int port(Mode mode) {
        Server server = running.get(mode);
        if (server == null) {
            throw new IllegalStateException("no server started in mode " + mode);
        }
        return server.port();
    }

    public Server server(Mode mode) {
        port(mode);
        return running.get(mode);
    }

    public URI uri(Mode mode, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port(mode) + pathAndQuery);
    }

    /** The same on the server's admin listener ({@code /debug/tasks}). */
    public URI adminUri(Mode mode, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server(mode).adminPort() + pathAndQuery);
    }
}
