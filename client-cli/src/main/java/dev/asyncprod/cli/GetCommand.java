package dev.asyncprod.cli;

import dev.asyncprod.client.AsyncHttpClient;
import dev.asyncprod.client.ClientRequest;
import dev.asyncprod.client.ClientResponse;
import dev.asyncprod.common.cli.CliErrors;
import dev.asyncprod.common.cli.HeaderArgs;
import dev.asyncprod.common.cli.DurationConverter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** One request: status and time taken, headers on request, then the body. Exit 1 on failure or a status >= 400. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Send one request and print the status, the time taken and the body.")
final class GetCommand implements Callable<Integer> {

    @Parameters(paramLabel = "URL", description = "http://host[:port]/path?query")
    URI url;

    @Option(names = {"-i", "--include"}, description = "Print the response headers too.")
    boolean include;

    @Option(names = {"-X", "--method"}, defaultValue = "GET", description = "Request method. Default: ${DEFAULT-VALUE}")
    String method;

    @Option(names = {"-H", "--header"}, paramLabel = "'Name: value'", description = "Extra request header (repeatable).")
    List<String> headers = List.of();

    @Option(names = {"-d", "--data"}, description = "Request body.")
    String body;

    @Option(names = "--timeout", defaultValue = "70s", converter = DurationConverter.class,
            description = "Response timeout, e.g. 500ms, 10s. Default: ${DEFAULT-VALUE}")
    Duration timeout;

    @Override
    public Integer call() {
        ClientRequest.Builder request = ClientRequest.of(method, url).responseTimeout(timeout);
        try {
            HeaderArgs.parse(headers).forEach(request::header);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return CliErrors.USAGE;
        }
        if (body != null) {
            request.body(body);
        }
        try (AsyncHttpClient http = AsyncHttpClient.create()) {
            ClientResponse r = http.send(request.build()).join();
            System.out.printf("HTTP %d (%.1f ms)%n", r.status(), r.elapsedNanos() / 1e6);
            if (include) {
                for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
                    h.getValue().forEach(v -> System.out.println(h.getKey() + ": " + v));
                }
            }
            System.out.println();
            System.out.println(r.bodyAsString());
            return r.status() >= 400 ? 1 : 0;
        } catch (CompletionException e) {
            System.err.println("error: " + e.getCause().getMessage());
            return 1;
        }
    }
}
