package dev.asyncprod.server.email;

import dev.asyncprod.server.tasks.Outcome;
import dev.asyncprod.server.tasks.Task;
import dev.asyncprod.server.tasks.TaskKind;
import dev.asyncprod.server.tasks.TaskRegistry;
import dev.asyncprod.server.tasks.Wait;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The email room in the task view: the job-store commit a request waits for, and each delivery
 * attempt as a background root linked to the request that accepted the job (while this process
 * remembers it: a job accepted by another replica, or before a restart, says only its id).
 */
final class DeliveryTasks {

    /** Links kept from job to accepting request: far more than the jobs in flight, bounded all the same. */
    static final int LINKS = 10_000;

    private final TaskRegistry registry;
    private final Map<String, String> acceptedBy = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > LINKS;
        }
    };

    private final String mode;

    /** @param mode the execution model that runs the deliveries, as the view names it */
    DeliveryTasks(TaskRegistry registry, String mode) {
        this.registry = registry;
        this.mode = mode;
    }

    /** The current request's wait for the store to make its job durable (async). */
    CompletableFuture<Accepted> commit(Supplier<CompletableFuture<Accepted>> accept) {
        Task request = Task.current();
        Task commit = request.child(TaskKind.COMMIT, "job store commit");
        commit.awaiting(Wait.on("job store commit"));
        CompletableFuture<Accepted> done = accept.get();
        commit.watch(done);
        return done.whenComplete((accepted, failure) -> {
            commit.finish(Outcome.of(failure));
            if (accepted != null) {
                remember(accepted.job().id(), request);
            }
        });
    }

    /** The same, the current thread blocked until the commit is durable. */
    Accepted commitBlocking(Supplier<CompletableFuture<Accepted>> accept) {
        Task request = Task.current();
        Task commit = request.child(TaskKind.COMMIT, "job store commit");
        Throwable failure = null;
        try (Task.Waiting waiting = commit.block(Wait.on("job store commit"))) {
            Accepted accepted = accept.get().join();
            remember(accepted.job().id(), request);
            return accepted;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            commit.finish(Outcome.of(failure));
        }
    }

    private void remember(String jobId, Task request) {
        if (request.isTracked()) {
            synchronized (acceptedBy) {
                acceptedBy.put(jobId, request.origin());
            }
        }
    }

    /** A delivery attempt's root task, live until {@link #finish}. */
    Task start(Job job) {
        String origin;
        synchronized (acceptedBy) {
            origin = acceptedBy.get(job.id());
        }
        // The claim has counted this attempt already (Job.sending).
        Task task = Task.background(TaskKind.DELIVERY, "job " + job.id(), "attempt " + job.attempts()
                + ", accepted by " + (origin != null ? origin : "a request this process does not remember"));
        task.mode(mode);
        return registry.register(task);
    }

    /** An async attempt, its synchronous part counted as the delivery's busy time. */
    CompletableFuture<Job> deliver(Task task, Supplier<CompletableFuture<Job>> attempt) {
        CompletableFuture<Job> done;
        try (Task.Scope running = task.enter()) {
            done = attempt.get();
        }
        task.watch(done);
        return done.whenComplete((job, failure) -> task.finish(outcome(job, failure)));
    }

    /** A blocking attempt on the current thread. */
    Job deliverBlocking(Task task, Callable<Job> attempt) throws Exception {
        try {
            Job job = task.call(attempt);
            task.finish(outcome(job, null));
            return job;
        } catch (Exception e) {
            task.finish(Outcome.of(e));
            throw e;
        }
    }

    private static Outcome outcome(Job job, Throwable failure) {
        if (failure != null) {
            return Outcome.of(failure);
        }
        return job.status() == JobStatus.SENT ? Outcome.ok() : new Outcome(0, job.status().name().toLowerCase(Locale.ROOT)
                + ": " + job.lastError(), null);
    }
}
