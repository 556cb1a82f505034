package dev.asyncprod.server;

import static dev.asyncprod.server.support.JsonFields.longAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.ServerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input never hurts: thousands of malformed requests over raw sockets (random bytes, broken
 * request lines, bad versions, huge and repeated headers, bad chunking, bad escapes, out-of-range
 * parameters, bodies on GET). Every answer is below 500 or the connection is closed; no connection
 * is leaked; the server serves normally afterwards. Seeded, so a failure can be replayed.
 */
class MalformedInputFuzzTest {

    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.[01] (\\d{3})");

    @RegisterExtension
    static final ServerExtension servers = ServerExtension.allModes("--max-header=2k", "--max-body=4k", "--idle-timeout=2s");

    @ParameterizedTest(name = "{0}: {1} requests")
    @CsvSource({"ASYNC, 10000", "BLOCKING, 2000", "VIRTUAL, 2000"})
    void malformedRequestsGetA4xxOrAClosedConnection(Mode mode, int requests) throws Exception {
        int port = servers.port(mode);
        long connectionsBefore = longAt(Http.get(servers.uri(mode, "/info")).body(), "http_server", "open_connections");
        ConcurrentHashMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> fiveHundreds = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = 42 + t;
                work.add(senders.submit(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < requests / 4; i++) {
                        byte[] input = Malformed.next(random);
                        for (int status : exchange(port, input)) {
                            statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                            if (status >= 500) {
                                fiveHundreds.add(status + " for " + new String(input, StandardCharsets.ISO_8859_1));
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS); // bounded: a lost answer fails the test, not the build
            }
        } finally {
            senders.shutdownNow();
        }

        assertThat(fiveHundreds).as("5xx answers").isEmpty();
        assertThat(statuses.keySet()).as("answers seen: %s", statuses).contains(400, 404, 431);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(longAt(Http.get(servers.uri(mode, "/info")).body(), "http_server", "open_connections"))
                        .as("connections open after the fuzz").isLessThanOrEqualTo(connectionsBefore));
        assertThat(Http.get(servers.uri(mode, "/hello")).body()).isEqualTo("hello");
    }

    /** Sends one input on a new connection, half-closes, and returns the statuses of whatever came back. */
    private static List<Integer> exchange(int port, byte[] input) throws IOException {
        List<Integer> seen = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(input);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException closedWhileWriting) {
                // the server gave up on us mid-request (e.g. headers too large): acceptable
            }
            InputStream in = socket.getInputStream();
            StringBuilder received = new StringBuilder();
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (SocketTimeoutException | java.net.SocketException closedOrSilent) {
                // reset, or no answer: the connection is simply over
            }
            Matcher m = STATUS.matcher(received);
            while (m.find()) {
                seen.add(Integer.parseInt(m.group(1)));
            }
        }
        return seen;
    }

    /** The kinds of malformed input, chosen at random. */
    static final class Malformed {
        private static final String[] PATHS = {"/hello", "/sleep?ms=1", "/gather?ms=1,2", "/health", "/nope", "/fanout?n=1&ms=1"};
        private static final String[] BAD_QUERIES = {"/sleep?ms=-5", "/sleep?ms=abc", "/sleep?ms=99999999999999999999",
                "/gather?ms=1,,2", "/gather?ms=", "/fanout?n=1000&ms=1", "/fanout?n=x&ms=1", "/sleep?ms=%ZZ", "/%",
                "/sleep?ms=1&ms=2", "/gather?ms=" + "1,".repeat(40) + "1"};

        static byte[] next(Random r) {
            String path = PATHS[r.nextInt(PATHS.length)];
            String text = switch (r.nextInt(12)) {
                case 0 -> null; // random bytes below
                case 1 -> randomToken(r) + " " + path + " HTTP/1.1\r\nHost: t\r\n\r\n";               // invalid method
                case 2 -> "GET " + path + " HTTP/" + r.nextInt(10) + "." + r.nextInt(10) + "\r\nHost: t\r\n\r\n"; // odd versions
                case 3 -> new String[] {"GET\r\n\r\n", " / HTTP/1.1\r\n\r\n", "GET /hello\r\n\r\n", "\r\n\r\n\r\n",
                        "GET /hello HTTP/1.1 extra\r\n\r\n", "GET  /hello  HTTP/1.1\r\n\r\n"}[r.nextInt(6)];  // broken lines
                case 4 -> "GET " + path + " HTTP/1.1\r\nHost: t\r\nX-Big: " + "a".repeat(3000 + r.nextInt(3000)) + "\r\n\r\n";
                case 5 -> "GET " + path + " HTTP/1.1\r\nHost: t\r\n" + "X-Rep: y\r\n".repeat(300 + r.nextInt(500)) + "\r\n";
                case 6 -> "POST /hello HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + new String[] {"ZZZ\r\nabc\r\n0\r\n\r\n", "5\r\nabc\r\n", "-1\r\n\r\n", "fffffffffff\r\n"}[r.nextInt(4)];
                case 7 -> "GET " + BAD_QUERIES[r.nextInt(BAD_QUERIES.length)] + " HTTP/1.1\r\nHost: t\r\n\r\n";
                case 8 -> "GET " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello";          // body on GET
                case 9 -> "POST /hello HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 7\r\n\r\nabcdefg";
                case 10 -> "POST /hello HTTP/1.1\r\nHost: t\r\nContent-Length: 9999999\r\n\r\nabc";           // too large
                default -> "GET " + path + " HTTP/1.1\r\nHost: t\r\nBad Header Name: x\r\n:\r\n\r\n";
            };
            if (text == null) {
                byte[] bytes = new byte[1 + r.nextInt(2000)];
                r.nextBytes(bytes);
                return bytes;
            }
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }

        private static String randomToken(Random r) {
            String chars = "GETPOSabc@#<>{}\\\"~!";
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 1 + r.nextInt(8); i++) {
                sb.append(chars.charAt(r.nextInt(chars.length())));
            }
            return sb.toString();
        }
    }
}
