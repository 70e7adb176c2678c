package io.tessera.admin.fire;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FireTimerTest {

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final List<Long> fired = new CopyOnWriteArrayList<>();
    private final List<Long> firedAt = new CopyOnWriteArrayList<>();
    private final FireTimer timer = new FireTimer(loop, System::currentTimeMillis, ids -> {
        fired.addAll(ids);
        ids.forEach(id -> firedAt.add(System.currentTimeMillis()));
    });

    @AfterEach
    void stop() {
        loop.shutdownNow();
    }

    private void onLoop(Runnable action) throws Exception {
        loop.submit(action).get(5, TimeUnit.SECONDS);
    }

    @Test
    void firesInDueOrderNotBeforeTheirTime() throws Exception {
        long now = System.currentTimeMillis();
        onLoop(() -> {
            timer.add(3, now + 300);
            timer.add(1, now + 100);
            timer.add(2, now + 200);
            timer.add(1, now + 50);
        });
        await().atMost(5, TimeUnit.SECONDS).until(() -> fired.size() == 3);
        assertThat(fired).containsExactly(1L, 2L, 3L);
        assertThat(firedAt.get(0)).isGreaterThanOrEqualTo(now + 100);
        assertThat(firedAt.get(2)).isGreaterThanOrEqualTo(now + 300);
    }

    @Test
    void aRemovedEntryNeverFires() throws Exception {
        long now = System.currentTimeMillis();
        onLoop(() -> {
            timer.add(1, now + 100);
            timer.add(2, now + 150);
            assertThat(timer.remove(1)).isTrue();
            assertThat(timer.remove(9)).isFalse();
        });
        await().atMost(5, TimeUnit.SECONDS).until(() -> fired.size() == 1);
        onLoop(() -> assertThat(timer.size()).isZero());
        assertThat(fired).containsExactly(2L);
    }

    @Test
    void pastDueEntriesFireAtOnce() throws Exception {
        onLoop(() -> timer.add(7, System.currentTimeMillis() - 1000));
        await().atMost(2, TimeUnit.SECONDS).until(() -> fired.contains(7L));
    }
}
