package dev.asyncprod.server.ops;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The server process's own folder ({@code --data-dir}): held under an exclusive lock for the
 * process's life, so that two servers never share a job store; it holds the embedded job store
 * and the port the process listens on, which a container's HEALTHCHECK reads when {@code --port}
 * is a range.
 */
public final class DataDirectory implements AutoCloseable {

    private final Path path;
    private final FileChannel lockFile;

    private DataDirectory(Path path, FileChannel lockFile) {
        this.path = path;
        this.lockFile = lockFile;
    }

    /** Creates the folder if needed and takes its lock; fails at once if another process holds it. */
    public static DataDirectory lock(Path path) throws IOException {
        Files.createDirectories(path);
        FileChannel lockFile = FileChannel.open(path.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockFile.tryLock();
        } catch (IOException | RuntimeException e) {
            lockFile.close();
            throw e;
        }
        if (lock == null) {
            lockFile.close();
            throw new IOException("data directory " + path.toAbsolutePath() + " is in use by another server;"
                    + " give each server process its own --data-dir");
        }
        return new DataDirectory(path, lockFile);
    }

    /** A file in the folder. */
    public Path resolve(String name) {
        return path.resolve(name);
    }

    /** Records where this process listens ({@code http.port}). */
    public void writePort(int port) throws IOException {
        Files.writeString(path.resolve("http.port"), Integer.toString(port));
    }

    public Path path() {
        return path;
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        lockFile.close();
    }
}
