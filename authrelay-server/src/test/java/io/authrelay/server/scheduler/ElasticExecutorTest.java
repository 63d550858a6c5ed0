package io.authrelay.server.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ElasticExecutorTest {
    @Test
    void aTrickleOfTasksReusesOneThread() throws Exception {
        ThreadPoolExecutor pool = ElasticExecutor.create("t-", 8, 30);
        try {
            for (int i = 0; i < 50; i++) {
                pool.submit(() -> {}).get();
                while (pool.getActiveCount() > 0) Thread.onSpinWait(); // the thread is back to waiting for work
            }
            assertThat(pool.getLargestPoolSize()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void busyThreadsMakeItGrowToItsMaximumAndTheRestWait() throws Exception {
        ThreadPoolExecutor pool = ElasticExecutor.create("t-", 4, 30);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(4);
        AtomicInteger done = new AtomicInteger();
        try {
            for (int i = 0; i < 10; i++) {
                pool.execute(() -> {
                    started.countDown();
                    await(release);
                    done.incrementAndGet();
                });
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pool.getPoolSize()).isEqualTo(4);
            assertThat(pool.getQueue()).hasSize(6);
            release.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(done).hasValue(10);
            assertThat(pool.getLargestPoolSize()).isEqualTo(4);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void idleThreadsEndAndANewTaskStillRuns() throws Exception {
        ThreadPoolExecutor pool = ElasticExecutor.create("t-", 4, 1);
        try {
            CountDownLatch release = new CountDownLatch(1);
            for (int i = 0; i < 3; i++) pool.execute(() -> await(release));
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (pool.getPoolSize() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(pool.getPoolSize()).isZero();
            pool.submit(() -> {}).get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
