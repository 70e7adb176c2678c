package io.tessera.admin.api;

import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load generator for {@code POST /api/v1/jobs/{id}/trigger}, for machines without {@code wrk}: N
 * workers each send triggers back to back over a kept-alive connection for a while, then it prints
 * requests per second and latency percentiles. A program, not a test:
 * {@code java -cp … io.tessera.admin.api.TriggerLoad http://127.0.0.1:18080 TOKEN JOB_ID 16 20}.
 */
public final class TriggerLoad {

    private TriggerLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: TriggerLoad BASE_URL TOKEN JOB_ID CONNECTIONS SECONDS");
            System.exit(2);
        }
        URI uri = URI.create(args[0] + "/api/v1/jobs/" + Long.parseLong(args[2]) + "/trigger");
        String token = args[1];
        int connections = Integer.parseInt(args[3]);
        Duration duration = Duration.ofSeconds(Long.parseLong(args[4]));

        Histogram latencies = new Histogram(60_000_000L, 3);
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Thread worker = new Thread(() -> {
                Histogram mine = new Histogram(60_000_000L, 3);
                HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build();
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    try {
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() != 202) {
                            errors.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    mine.recordValue(Math.min((System.nanoTime() - start) / 1000, 60_000_000L));
                }
                synchronized (latencies) {
                    latencies.add(mine);
                }
            }, "trigger-load-" + i);
            workers.add(worker);
        }
        long started = System.nanoTime();
        workers.forEach(Thread::start);
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%d requests in %.1f s over %d connections: %.0f requests/s, %d not 202%n",
                latencies.getTotalCount(), seconds, connections, latencies.getTotalCount() / seconds, errors.get());
        System.out.printf("latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n",
                latencies.getValueAtPercentile(50) / 1000.0, latencies.getValueAtPercentile(90) / 1000.0,
                latencies.getValueAtPercentile(99) / 1000.0, latencies.getMaxValue() / 1000.0);
    }
}
