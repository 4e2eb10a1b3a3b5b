package io.s3dlio.cli;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Runs a command's per-object work on named virtual threads, at most {@code jobs} at a time. Submission
 * blocks while {@code jobs} tasks are in flight, so a listing of millions of keys never queues millions of
 * tasks. A task that throws becomes a failure item of the {@link Reporter}; the others carry on.
 * {@link #close()} waits for every task.
 */
final class Parallel implements AutoCloseable {
    /** Work for one item. */
    @FunctionalInterface
    interface Task {
        void run() throws Exception;
    }

    private final ExecutorService executor;
    private final Semaphore permits;
    private final Reporter reporter;

    Parallel(String name, int jobs, Reporter reporter) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1: " + jobs);
        }
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("s3-cli-" + name + "-", 0).factory());
        this.permits = new Semaphore(jobs);
        this.reporter = reporter;
    }

    /** Runs {@code task} for {@code uri} when a slot is free. */
    void submit(String uri, Task task) {
        permits.acquireUninterruptibly();
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (Exception | Error e) {
                    // Every failure becomes a listed item; none may vanish with its virtual thread.
                    reporter.fail(uri, e);
                } finally {
                    permits.release();
                }
            });
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Waits for every submitted task. Idempotent. */
    @Override
    public void close() {
        executor.close();
    }
}
