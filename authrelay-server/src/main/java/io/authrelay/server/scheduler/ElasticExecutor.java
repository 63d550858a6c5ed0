package io.authrelay.server.scheduler;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of up to {@code max} threads that follows the work: an idle thread takes a task before a new one is started,
 * a new one is started (up to {@code max}) only when every thread is busy, tasks beyond that wait in an unbounded
 * queue, and a thread idle for {@code keepAlive} ends. A plain fixed pool keeps all its threads for the daemon's life,
 * and a {@link ThreadPoolExecutor} with core threads starts a new one for each task until it has them all, even when
 * the others are idle; this one keeps one or two for an idle daemon (the heartbeat) and reaches {@code max} only
 * under the load that needs it (thousands of pending logins).
 */
final class ElasticExecutor {
    private ElasticExecutor() {}

    static ThreadPoolExecutor create(String namePrefix, int max, long keepAliveSeconds) {
        GrowFirstQueue queue = new GrowFirstQueue();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                0, max, keepAliveSeconds, TimeUnit.SECONDS, queue, threads(namePrefix), (task, pool) -> {
                    // Every thread was busy and the pool is full (or just filled up): the task waits its turn.
                    if (pool.isShutdown()) throw new RejectedExecutionException("the scheduler is stopping");
                    queue.enqueue(task);
                });
        queue.executor = executor;
        return executor;
    }

    /** Refuses a task while a thread could still be started and none is idle, so the executor starts one. */
    private static final class GrowFirstQueue extends LinkedBlockingQueue<Runnable> {
        private volatile ThreadPoolExecutor executor;

        @Override
        public boolean offer(Runnable task) {
            ThreadPoolExecutor pool = executor;
            if (pool != null
                    && pool.getPoolSize() < pool.getMaximumPoolSize()
                    && pool.getActiveCount() + size() >= pool.getPoolSize()) {
                return false;
            }
            return super.offer(task);
        }

        void enqueue(Runnable task) {
            super.offer(task);
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
