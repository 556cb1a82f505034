package dev.asyncprod.common.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server: a real {@code postgres} process from the machine's own binaries
 * (Debian's {@code postgresql} package puts them in {@code /usr/lib/postgresql/<major>/bin}), with
 * its cluster in a temporary folder, listening on a free loopback port, trusting local
 * connections. {@code initdb} and {@code pg_ctl} refuse to run as root, so as root every command
 * runs as the {@code postgres} user, which owns the folder.
 *
 * <p>{@link #stop()} and {@link #start()} take the same cluster down and up again (an outage);
 * {@link #crash()} stops it the way a power cut would, without a checkpoint.
 */
public final class PostgresCluster implements AutoCloseable {

    /** Set to a folder holding {@code initdb} and {@code pg_ctl} to use other binaries. */
    public static final String BIN_ENV = "PG_BIN";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Path bin;
    private final Path root;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresCluster(Path bin, Path root, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.root = root;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The binaries' folder, if the machine has one: {@value #BIN_ENV}, else the newest Debian major version. */
    public static Optional<Path> binaries() {
        String env = System.getenv(BIN_ENV);
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env)).filter(p -> Files.isExecutable(p.resolve("initdb")));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian)) {
            return Optional.empty();
        }
        try (Stream<Path> majors = Files.list(debian)) {
            return majors.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb")))
                    .max(Comparator.comparing(p -> majorOf(p.getParent())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Why a cluster cannot be started here, or empty when it can: for tests that skip. */
    public static Optional<String> unavailableReason() {
        if (binaries().isEmpty()) {
            return Optional.of("no PostgreSQL binaries (apt-get install postgresql, or set " + BIN_ENV + ")");
        }
        if (isRoot() && !postgresUserExists()) {
            return Optional.of("running as root and there is no postgres user to run initdb as");
        }
        return Optional.empty();
    }

    /** Creates a cluster in a new temporary folder and starts it on a free loopback port. */
    public static PostgresCluster create() throws IOException {
        Path bin = binaries().orElseThrow(() -> new IOException(unavailableReason().orElse("no PostgreSQL")));
        Path root = Files.createTempDirectory("asyncprod-pg-");
        boolean asPostgres = isRoot();
        PostgresCluster cluster = new PostgresCluster(bin, root, freePort(), asPostgres);
        try {
            if (asPostgres) {
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
                UserPrincipalLookupService users = root.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(root, users.lookupPrincipalByName("postgres"));
            }
            // --no-sync: a throw-away cluster need not survive a power cut while it is being made.
            cluster.run(List.of(bin.resolve("initdb").toString(), "-D", cluster.data().toString(), "-U", "postgres",
                    "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"));
            cluster.start();
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Starts (or starts again) the server on this cluster's port, waiting until it accepts connections. */
    public void start() throws IOException {
        // max_connections: room for several replicas' pools and a benchmark at once (the default is 100).
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -k " + root + " -c max_connections=400";
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", root.resolve("server.log").toString(),
                "-o", options, "-w", "-t", "60", "start"));
    }

    /** A clean, fast shutdown: sessions are cut off, nothing committed is lost. */
    public void stop() throws IOException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop"));
    }

    /** Stops without a checkpoint, as a crash would; the next start recovers from the WAL. */
    public void crash() throws IOException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop"));
    }

    public int port() {
        return port;
    }

    /** A URL for {@code --jobs} or {@code --db}: {@code postgresql://postgres@127.0.0.1:<port>/<database>}. */
    public String url(String database) {
        return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
    }

    /** Creates an empty database owned by the {@code postgres} role. */
    public void createDatabase(String name) throws IOException {
        run(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-U", "postgres", name));
    }

    /** The server's own log, for a failing test to show. */
    public Path logFile() {
        return root.resolve("server.log");
    }

    private Path data() {
        return root.resolve("data");
    }

    /** Stops the server if it runs and deletes the cluster's folder. */
    @Override
    public void close() {
        try {
            if (Files.exists(data().resolve("postmaster.pid"))) {
                crash(); // it is thrown away: no checkpoint to wait for
            }
        } catch (IOException e) {
            // already gone
        }
        deleteTree(root);
    }

    private void run(List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path output = Files.createTempFile("asyncprod-pg-cmd-", ".log");
        try {
            Process p = new ProcessBuilder(full).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " took longer than " + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(command.get(0) + " exited " + p.exitValue() + ": " + Files.readString(output).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean postgresUserExists() {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith("postgres:"));
        } catch (IOException e) {
            return false;
        }
    }

    private static int majorOf(Path versionFolder) {
        try {
            return Integer.parseInt(versionFolder.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // a temporary folder: the OS cleans what is left
        }
    }
}
