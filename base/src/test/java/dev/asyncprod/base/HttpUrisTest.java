package dev.asyncprod.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class HttpUrisTest {

    @Test
    void thePortIsTheUrisOrItsSchemes() {
        assertThat(HttpUris.portOf(URI.create("http://example.test/x"))).isEqualTo(80);
        assertThat(HttpUris.portOf(URI.create("https://example.test/x"))).isEqualTo(443);
        assertThat(HttpUris.portOf(URI.create("https://example.test:8443/x"))).isEqualTo(8443);
    }

    @Test
    void theTargetIsTheRawPathAndQueryAndSlashWhenThePathIsEmpty() {
        assertThat(HttpUris.targetOf(URI.create("http://example.test"))).isEqualTo("/");
        assertThat(HttpUris.targetOf(URI.create("http://example.test/a%20b?q=1&r=%2F"))).isEqualTo("/a%20b?q=1&r=%2F");
    }
}
