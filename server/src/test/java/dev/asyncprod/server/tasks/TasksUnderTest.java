package dev.asyncprod.server.tasks;

import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A task registry and its view for one test ({@code @RegisterExtension} on an instance field), closed after it. */
final class TasksUnderTest implements AfterEachCallback {

    final TaskRegistry registry;
    final TaskView view;

    /** @see TaskRegistry#create */
    TasksUnderTest(int finishedCapacity, Duration blockedThreshold, Duration stuckAfter) {
        this.registry = TaskRegistry.create(finishedCapacity, blockedThreshold, stuckAfter);
        this.view = new TaskView(registry, "async");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        view.close();
        registry.close();
    }
}
