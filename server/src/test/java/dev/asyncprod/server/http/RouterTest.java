package dev.asyncprod.server.http;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.HEAD;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RouterTest {

    final Router<String> router = Router.<String>builder()
            .add(GET, "/", "index")
            .add(GET, "/hello", "hello")
            .add(POST, "/email", "post email")
            .add(GET, "/jobs/", "job by id")
            .add(GET, "/jobs/archive/", "archived job by id")
            .add(GET, "/db", "db")
            .add(GET, "/db/sleep", "db sleep")
            .build();

    @Test
    void exactPathsWinOverPrefixesAndEachOtherByFullMatchOnly() {
        assertThat(router.route(GET, "/")).isEqualTo("index");
        assertThat(router.route(GET, "/hello")).isEqualTo("hello");
        assertThat(router.route(GET, "/db")).isEqualTo("db");
        assertThat(router.route(GET, "/db/sleep")).isEqualTo("db sleep");
        // Only paths registered with a trailing slash are prefixes: /db is not one.
        assertThat(statusOf(() -> router.route(GET, "/db/other"))).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(statusOf(() -> router.route(GET, "/hello/"))).isEqualTo(HttpResponseStatus.NOT_FOUND);
    }

    @Test
    void theLongestPrefixWinsAndAPrefixNeedsSomethingAfterIt() {
        assertThat(router.route(GET, "/jobs/42")).isEqualTo("job by id");
        assertThat(router.route(GET, "/jobs/archive/42")).isEqualTo("archived job by id");
        assertThat(router.routeOf("/jobs/archive/42")).isEqualTo("/jobs/archive/");
        // The prefix itself is routed as registered, an exact match; no id is no match beyond it.
        assertThat(router.routeOf("/jobs/")).isEqualTo("/jobs/");
        assertThat(router.routeOf("/job")).isNull();
        // "/" is the index, not a prefix of everything.
        assertThat(statusOf(() -> router.route(GET, "/nope"))).isEqualTo(HttpResponseStatus.NOT_FOUND);
    }

    @Test
    void headIsAnsweredByTheGetRouteAndListedBesideIt() {
        assertThat(router.route(HEAD, "/hello")).isEqualTo("hello");
        assertThat(router.route(HEAD, "/jobs/7")).isEqualTo("job by id");
        assertThat(statusOf(() -> router.route(HEAD, "/email"))).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);

        HttpError error = catchThrowableOfType(HttpError.class, () -> router.route(DELETE, "/hello"));
        assertThat(error.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(error.toResponse().headers()).containsEntry("Allow", "GET, HEAD");
    }

    @Test
    void aKnownPathWithAnotherMethodIs405WithWhatItAllows() {
        HttpError error = catchThrowableOfType(HttpError.class, () -> router.route(GET, "/email"));

        assertThat(error.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(error.toResponse().headers()).containsEntry("Allow", "POST");
    }

    @Test
    void aRouteCannotBeRegisteredTwice() {
        Router.Builder<String> builder = Router.<String>builder().add(GET, "/hello", "first");

        assertThatThrownBy(() -> builder.add(GET, "/hello", "second"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("duplicate route GET /hello");
        // Another method on the same path is a second route, not a duplicate.
        assertThat(builder.add(POST, "/hello", "post").build().route(POST, "/hello")).isEqualTo("post");
    }

    private static HttpResponseStatus statusOf(Runnable routing) {
        return catchThrowableOfType(HttpError.class, routing::run).status();
    }
}
