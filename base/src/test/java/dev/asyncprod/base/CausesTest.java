package dev.asyncprod.base;

import static dev.asyncprod.base.testing.BoundedJoin.join;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class CausesTest {

    @Test
    void unwrapStripsEveryFutureWrapperAndNothingElse() {
        IOException real = new IOException("connection reset");
        Throwable wrapped = new CompletionException(new ExecutionException(new CompletionException(real)));

        assertThat(Causes.unwrap(wrapped)).isSameAs(real);
        // A wrapper is the real failure's cause, not a wrapper to strip.
        IllegalStateException outer = new IllegalStateException("query failed", real);
        assertThat(Causes.unwrap(outer)).isSameAs(outer);
        // A wrapper without a cause is all there is.
        CompletionException bare = new CompletionException("no cause", null);
        assertThat(Causes.unwrap(bare)).isSameAs(bare);
    }

    @Test
    void unwrapReadsWhatALaterStageOfAChainSees() {
        IOException real = new IOException("refused");
        CompletableFuture<String> chain = CompletableFuture.<String>failedFuture(real).thenApply(String::trim);

        Throwable seen = join(chain.handle((value, failure) -> failure));

        assertThat(seen).isInstanceOf(CompletionException.class);
        assertThat(Causes.unwrap(seen)).isSameAs(real);
    }

    @Test
    void rootMessageIsTheInnermostFirstLine() {
        Throwable e = new RuntimeException("outer", new IOException("first line\nsecond line"));
        assertThat(Causes.rootMessage(e)).isEqualTo("first line");
        assertThat(Causes.rootMessage(new IllegalStateException())).isEqualTo("IllegalStateException");
    }

    @Test
    void isTlsFindsAHandshakeFailureAnywhereInTheChain() {
        assertThat(Causes.isTls(new IOException("x", new SSLHandshakeException("bad certificate")))).isTrue();
        assertThat(Causes.isTls(new IOException("connection reset"))).isFalse();
    }
}
