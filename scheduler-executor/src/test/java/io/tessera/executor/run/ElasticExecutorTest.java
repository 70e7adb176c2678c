package io.tessera.executor.run;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ElasticExecutorTest {

    private final ElasticExecutor pool = new ElasticExecutor(2, 500, Duration.ofMillis(10), Duration.ofSeconds(60),
            daemons("test-elastic"));

    @AfterEach
    void close() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aBurstOfShortTasksRunsOnAFewThreads() {
        Set<Thread> used = ConcurrentHashMap.newKeySet();
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < 5_000; i++) {
            pool.execute(() -> {
                used.add(Thread.currentThread());
                done.incrementAndGet();
            });
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> done.get() == 5_000);
        assertThat(used.size()).as("threads that ran 5,000 short tasks").isLessThan(50);
    }

    @Test
    void tasksThatBlockEachGetAThreadSoon() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            pool.execute(() -> {
                running.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> running.get() == 100);
        assertThat(pool.threads()).isEqualTo(100);
        release.countDown();
    }

    @Test
    void neverMoreThreadsThanItsMaximum() {
        ElasticExecutor small = new ElasticExecutor(1, 3, Duration.ofMillis(5), Duration.ofSeconds(60),
                daemons("test-small"));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            small.execute(() -> {
                running.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> running.get() == 3);
        await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> small.threads() == 3);
        assertThat(running).as("the other seven wait for a thread").hasValue(3);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> running.get() == 10);
        small.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemons(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
