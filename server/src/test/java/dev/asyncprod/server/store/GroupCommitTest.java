package dev.asyncprod.server.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.asyncprod.server.email.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Group commit as the stores rely on it: writes handed over while a commit runs share the next
 * one, at most a batch's worth, in the order they came; past the bound a write is refused at once;
 * a failing batch fails only its own writes; closing commits what was handed over.
 */
@Timeout(value = 60, unit = SECONDS)
class GroupCommitTest {

    /** A write as a test store describes it: a number, and the future its caller waits on. */
    private record Numbered(int n, CompletableFuture<Void> result) implements GroupCommit.Write {
        Numbered(int n) {
            this(n, new CompletableFuture<>());
        }

        @Override
        public void fail(Throwable failure) {
            result.completeExceptionally(failure);
        }
    }

    /** Records each batch and settles its writes; the first commit can be held until the test lets it go. */
    private static final class RecordingCommitter implements GroupCommit.Committer<Numbered> {
        final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch firstCommitEntered = new CountDownLatch(1);
        final CountDownLatch releaseFirstCommit;

        RecordingCommitter(boolean holdFirstCommit) {
            releaseFirstCommit = new CountDownLatch(holdFirstCommit ? 1 : 0);
        }

        @Override
        public void commit(List<Numbered> batch) {
            firstCommitEntered.countDown();
            try {
                if (!releaseFirstCommit.await(30, SECONDS)) {
                    throw new IllegalStateException("the test never released the first commit");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            batches.add(batch.stream().map(Numbered::n).toList());
            threads.add(Thread.currentThread().getName());
            batch.forEach(w -> w.result().complete(null));
        }
    }

    private final List<GroupCommit<?>> opened = new ArrayList<>();

    @AfterEach
    void closeWriters() {
        opened.forEach(GroupCommit::close);
    }

    private GroupCommit<Numbered> writer(int batch, int maxPending, GroupCommit.Committer<Numbered> committer) {
        GroupCommit<Numbered> writer = new GroupCommit<>("group-commit-test", batch, maxPending, committer);
        opened.add(writer);
        return writer;
    }

    private static List<Numbered> submit(GroupCommit<Numbered> writer, int from, int to) {
        List<Numbered> writes = IntStream.range(from, to).mapToObj(Numbered::new).toList();
        writes.forEach(writer::submit);
        return writes;
    }

    private static void awaitAll(List<Numbered> writes) throws Exception {
        CompletableFuture.allOf(writes.stream().map(Numbered::result).toArray(CompletableFuture[]::new)).get(30, SECONDS);
    }

    @Test
    void writesHandedOverDuringACommitShareTheNextOnesInOrderAtMostABatchEach() throws Exception {
        RecordingCommitter committer = new RecordingCommitter(true);
        GroupCommit<Numbered> writer = writer(4, 100, committer);
        List<Numbered> first = submit(writer, 0, 1);
        assertThat(committer.firstCommitEntered.await(30, SECONDS)).isTrue();

        List<Numbered> waiting = submit(writer, 1, 11);
        assertThat(writer.pending()).isEqualTo(11);
        committer.releaseFirstCommit.countDown();
        awaitAll(first);
        awaitAll(waiting);

        assertThat(committer.batches).containsExactly(List.of(0), List.of(1, 2, 3, 4), List.of(5, 6, 7, 8), List.of(9, 10));
        assertThat(committer.threads).containsOnly("group-commit-test"); // never the caller's thread
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.pending() == 0);
    }

    @Test
    void aWriteArrivingAloneIsCommittedWithoutWaitingForCompany() throws Exception {
        RecordingCommitter committer = new RecordingCommitter(false);
        GroupCommit<Numbered> writer = writer(256, 1_000, committer);
        for (int n = 0; n < 200; n++) { // each one finds the writer asleep: no wake-up may be lost
            awaitAll(submit(writer, n, n + 1));
        }
        assertThat(committer.batches).hasSize(200).allSatisfy(batch -> assertThat(batch).hasSize(1));
    }

    @Test
    void pastTheBoundAWriteIsRefusedAtOnceAndTheWriterSaysWhy() throws Exception {
        RecordingCommitter committer = new RecordingCommitter(true);
        GroupCommit<Numbered> writer = writer(1, 3, committer);
        List<Numbered> taken = submit(writer, 0, 3); // the first is being committed: all three count until done
        assertThat(committer.firstCommitEntered.await(30, SECONDS)).isTrue();

        Numbered refused = submit(writer, 3, 4).get(0);
        assertThat(refused.result()).isCompletedExceptionally();
        assertThatThrownBy(() -> refused.result().get(30, SECONDS)).cause()
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("the job store has 3 writes waiting; retry later")
                .satisfies(e -> assertThat(((StoreUnavailableException) e).retryAfterSeconds()).isEqualTo(1));
        assertThat(writer.pending()).isEqualTo(3);
        assertThat(writer.unavailable()).isEqualTo("3 writes waiting for the store");

        committer.releaseFirstCommit.countDown();
        awaitAll(taken);
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.pending() == 0);
        assertThat(writer.unavailable()).isNull();
        awaitAll(submit(writer, 4, 5)); // room again
    }

    @Test
    void aBatchWhoseCommitThrowsFailsItsOwnWritesAndTheWriterGoesOn() throws Exception {
        RuntimeException bug = new IllegalStateException("a bug in the committer");
        RecordingCommitter recorder = new RecordingCommitter(false);
        GroupCommit<Numbered> writer = writer(10, 100, batch -> {
            if (batch.get(0).n() == 0) {
                throw bug;
            }
            recorder.commit(batch);
        });
        Numbered failing = submit(writer, 0, 1).get(0);
        assertThatThrownBy(() -> failing.result().get(30, SECONDS)).isInstanceOf(ExecutionException.class).cause().isSameAs(bug);

        awaitAll(submit(writer, 1, 2));
        assertThat(recorder.batches).containsExactly(List.of(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.pending() == 0);
    }

    @Test
    void closingCommitsEverythingHandedOverThenRefusesLaterWrites() throws Exception {
        RecordingCommitter committer = new RecordingCommitter(true);
        GroupCommit<Numbered> writer = writer(2, 100, committer);
        List<Numbered> handedOver = submit(writer, 0, 7);
        assertThat(committer.firstCommitEntered.await(30, SECONDS)).isTrue();

        CompletableFuture<Void> closed = CompletableFuture.runAsync(writer::close);
        await().atMost(Duration.ofSeconds(30)).until(() -> "the job store is closed".equals(writer.unavailable()));
        assertThat(closed).isNotDone(); // still committing what it was given
        committer.releaseFirstCommit.countDown();
        closed.get(30, SECONDS);

        awaitAll(handedOver);
        assertThat(committer.batches.stream().flatMap(List::stream)).containsExactly(0, 1, 2, 3, 4, 5, 6);
        Numbered late = submit(writer, 7, 8).get(0);
        assertThatThrownBy(() -> late.result().get(30, SECONDS)).cause()
                .isInstanceOf(RejectedExecutionException.class).hasMessage("the job store is closed");
    }

    @Test
    void aBatchMustHoldAtLeastOneWrite() {
        assertThatThrownBy(() -> new GroupCommit<Numbered>("group-commit-test", 0, 10, batch -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected at least 1 write a batch").hasMessageContaining("got batch 0");
    }
}
