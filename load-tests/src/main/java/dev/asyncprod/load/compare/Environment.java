package dev.asyncprod.load.compare;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a report records about where it was measured, so a reader can judge the numbers. */
final class Environment {

    private Environment() {
    }

    static Map<String, Object> describe(Map<String, Object> serversInfo, int generatorThreads, Duration duration, Duration warmup) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("date", Instant.now().toString());
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("memory_gib", Math.round(totalMemoryKb() / 1024.0 / 1024.0));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        env.put("generator_jdk", System.getProperty("java.vm.vendor") + " " + Runtime.version());
        env.put("generator_threads", generatorThreads);
        env.put("cell_duration_s", duration.toMillis() / 1000.0);
        env.put("cell_warmup_s", warmup.toMillis() / 1000.0);
        env.put("netty", io.netty.util.Version.identify().values().stream()
                .map(io.netty.util.Version::artifactVersion).findFirst().orElse("?"));
        env.put("servers", serversInfo);
        return env;
    }

    private static long totalMemoryKb() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (java.io.IOException | RuntimeException ignored) {
            // not Linux
        }
        return 0;
    }
}
