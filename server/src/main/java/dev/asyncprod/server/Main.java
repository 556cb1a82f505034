package dev.asyncprod.server;

import dev.asyncprod.base.Causes;
import dev.asyncprod.server.config.ServerCommand;
import dev.asyncprod.server.config.ServerConfig;
import dev.asyncprod.server.ops.Banner;
import dev.asyncprod.server.ops.LogSetup;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import sun.misc.Signal;

/** {@code java -jar server/target/server.jar [flags]}: parse, start, print what a user needs, serve until stopped. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(String[] args) {
        ServerCommand command = new ServerCommand();
        CommandLine cli = ServerCommand.newCommandLine(command);
        ServerConfig config;
        try {
            cli.parseArgs(args);
            if (cli.isUsageHelpRequested()) {
                cli.usage(System.out);
                return 0;
            }
            if (cli.isVersionHelpRequested()) {
                cli.printVersionHelp(System.out);
                return 0;
            }
            config = command.toConfig();
        } catch (CommandLine.ParameterException e) {
            System.err.println("error: " + e.getMessage() + " (see --help)");
            return 2;
        }

        LogSetup.apply(config.logging().level(), config.logging().format());
        Server server;
        try {
            server = Server.start(config);
        } catch (Exception e) {
            String where = Causes.anyMatch(e, java.net.BindException.class::isInstance)
                    ? " on " + config.listen().host() + ":" + config.listen().ports() : "";
            System.err.println("error: cannot start" + where + ": " + e.getMessage());
            return 1;
        }
        // SIGTERM and SIGINT only start the drain; the process exits 0 once it is done.
        Runnable drain = () -> drainThenExit(server, config);
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), s -> {
                Thread drainer = new Thread(drain, "drain");
                // Not a daemon, as the signal's own thread is: the JVM must wait for its last log lines and exit.
                drainer.setDaemon(false);
                drainer.start();
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown")); // any other exit: stop at once
        printBanner(server);
        try {
            server.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static final AtomicBoolean DRAINING = new AtomicBoolean();

    private static void drainThenExit(Server server, ServerConfig config) {
        if (!DRAINING.compareAndSet(false, true)) {
            return; // a second signal while draining changes nothing
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        log.info("shutting down: {} requests in flight, {} connections open; readiness 503 for {} ms, then waiting up to {} s",
                server.lifecycle().inFlight(), server.lifecycle().openConnections(), config.process().drainDelay().toMillis(),
                config.process().shutdownTimeout().toSeconds());
        try {
            boolean clean = server.drainAndClose(config.process().shutdownTimeout());
            log.info(clean ? "drained: every request in flight was answered" : "shutdown timeout: requests still in flight were cut off");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LogSetup.flushAndStop();
        System.exit(0);
    }

    private static void printBanner(Server server) {
        ServerConfig c = server.config();
        String host = c.listen().host();
        String tryHost = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        if (c.tls().selfSigned() && tryHost.equals("127.0.0.1")) {
            tryHost = "localhost"; // the name the throw-away certificate is for
        }
        String base = server.scheme() + "://" + (tryHost.contains(":") ? "[" + tryHost + "]" : tryHost) + ":" + server.port();
        Map<String, String> banner = new LinkedHashMap<>();
        banner.put("mode", server.modeName());
        banner.put("transport", server.transportName());
        banner.put("listening", host + ":" + server.port());
        banner.put("protocols", server.tlsDescription().map(tls -> "HTTP/1.1 and HTTP/2 over TLS: " + tls)
                .orElse("HTTP/1.1, and HTTP/2 without TLS (h2c: prior knowledge or Upgrade)"));
        banner.put("event loops", Integer.toString(c.listen().eventLoops()));
        banner.put("pool", server.poolDescription());
        banner.put("email", server.emailDescription());
        banner.put("db", server.databaseDescription());
        banner.put("ready", base + "/");
        banner.put("tasks", server.adminPort() == 0 ? "off (--admin-port 0)"
                : "curl -s 'http://" + (c.admin().host().contains(":") ? "[" + c.admin().host() + "]" : c.admin().host()) + ":"
                        + server.adminPort() + "/debug/tasks?format=tree'" + (c.admin().token() != null
                        ? " -H \"Authorization: Bearer $ADMIN_TOKEN\"" : ""));
        String trust = c.tls().selfSigned() ? "-k " : "";
        banner.put("try", "curl " + trust + "'" + base + "/gather?ms=2000,5000'");
        Banner.print(System.out, c.logging().format(), banner);
    }
}
