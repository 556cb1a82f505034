package dev.asyncprod.server;

import static dev.asyncprod.base.testing.BoundedJoin.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.asyncprod.client.AsyncHttpClient;
import dev.asyncprod.client.ServiceClient.GatherResult;
import dev.asyncprod.client.ServiceClient;
import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.ServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The typed client API against the real service. */
class ServiceClientTest {

    @RegisterExtension
    static final ServerExtension servers = ServerExtension.allModes();

    static AsyncHttpClient http;

    @BeforeAll
    static void client() {
        http = AsyncHttpClient.create();
    }

    @AfterAll
    static void close() {
        http.close();
    }

    private static ServiceClient service(Mode mode) {
        return new ServiceClient(http, servers.uri(mode, "/"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void typedCallsReturnTypedResults(Mode mode) {
        ServiceClient service = service(mode);

        assertThat(join(service.hello())).isEqualTo("hello");
        assertThat(join(service.health())).isEqualTo("UP");
        ServiceClient.SleepResult slept = join(service.sleep(Duration.ofMillis(30)));
        assertThat(slept.sleptMs()).isEqualTo(30);
        assertThat(slept.mode()).isEqualTo(mode.label());

        GatherResult gathered = join(service.gather(List.of(Duration.ofMillis(20), Duration.ofMillis(40))));
        assertThat(gathered.tasks()).extracting(ServiceClient.Task::name).containsExactly("task-1", "task-2");
        assertThat(gathered.tasks()).extracting(ServiceClient.Task::delayMs).containsExactly(20L, 40L);
        assertThat(gathered.totalMs()).isGreaterThanOrEqualTo(40);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void serverErrorsFailTheFutureWithTheStatusAndBody(Mode mode) {
        Throwable thrown = catchThrowable(() -> join(service(mode).sleep(Duration.ofMinutes(2))));

        assertThat(thrown).isInstanceOf(CompletionException.class);
        assertThat(thrown.getCause()).isInstanceOf(ServiceClient.ServiceException.class)
                .hasMessageContaining("HTTP 400").hasMessageContaining("'ms' must be from 0 to 60000");
        assertThat(((ServiceClient.ServiceException) thrown.getCause()).status()).isEqualTo(400);
    }
}
