package io.tessera.admin.overview;

import io.tessera.admin.cluster.AdminNode;
import io.tessera.admin.cluster.ExecutorDirectory;
import io.tessera.admin.dispatch.ExecutorClient;
import io.tessera.core.model.Device;
import io.tessera.core.model.DeviceId;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.wire.ExecutorStatus;
import io.tessera.core.zk.AdminCard;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The cluster as an operator looks at it: the admins and their leader, and the live executors with
 * each device's state and the shard that holds it. Shared by the API, the UI and the device sampler.
 *
 * <p>Which devices are busy is asked of each executor ({@code /v1/status}, signed, all executors at
 * once with a short timeout) rather than derived from the database: the executor is the one that
 * knows what runs on it now, including shards whose results are not recorded yet, and asking costs
 * one request per executor instead of a scan of every running run's shards. An executor that does
 * not answer is listed as unreachable, its devices' state unknown.
 */
public final class ClusterOverview {

    /** How long one look waits for the executors' answers. */
    public static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

    private final ExecutorDirectory directory;
    private final ExecutorClient client;
    private final AdminNode admin;

    public ClusterOverview(ExecutorDirectory directory, ExecutorClient client, AdminNode admin) {
        this.directory = directory;
        this.client = client;
        this.admin = admin;
    }

    /** The admins that are up, and which of them leads; {@code leaderId} is null while none does. */
    public record Admins(String leaderId, String selfId, List<AdminCard> admins) {
        public Admins {
            admins = List.copyOf(admins);
        }
    }

    /** Whether a running shard holds a device; UNKNOWN when its executor did not answer. */
    public enum Occupancy { FREE, BUSY, UNKNOWN }

    /** One device of a live executor, and the shard that holds it (null when none does, or none is known). */
    public record DeviceState(Device device, Occupancy occupancy, ExecutorStatus.RunningShard holder) {
        public DeviceId id() {
            return DeviceId.of(device);
        }
    }

    /**
     * A live executor as its member node describes it, with what it answered just now.
     *
     * @param running the shards it runs; empty when it did not answer
     * @param error   why it did not answer; null when it did
     */
    public record ExecutorState(ExecutorCard card, List<DeviceState> devices, List<ExecutorStatus.RunningShard> running,
                                boolean reachable, String error) {
        public ExecutorState {
            devices = List.copyOf(devices);
            running = List.copyOf(running);
        }
    }

    public Admins admins() {
        return new Admins(admin.leaderId().orElse(null), admin.adminId(), admin.admins());
    }

    public int executorCount() {
        return directory.all().size();
    }

    /** Every live executor with its devices' state, asking all of them at once; takes at most about {@link #STATUS_TIMEOUT}. */
    public List<ExecutorState> executors() {
        List<ExecutorCard> cards = directory.all();
        List<CompletableFuture<ExecutorStatus>> statuses = cards.stream()
                .map(card -> client.status(card.address()).orTimeout(STATUS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .toList();
        return IntStream.range(0, cards.size()).mapToObj(i -> describe(cards.get(i), statuses.get(i))).toList();
    }

    private static ExecutorState describe(ExecutorCard card, CompletableFuture<ExecutorStatus> pending) {
        try {
            return withStatus(card, pending.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unreachable(card, "interrupted");
        } catch (Exception e) {
            return unreachable(card, "status request failed: " + (e.getCause() == null ? e : e.getCause()));
        }
    }

    private static ExecutorState withStatus(ExecutorCard card, ExecutorStatus status) {
        Set<DeviceId> free = new HashSet<>(status.freeDevices());
        List<DeviceState> devices = card.devices().stream().map(device -> {
            DeviceId id = DeviceId.of(device);
            ExecutorStatus.RunningShard holder = status.running().stream()
                    .filter(shard -> shard.devices().contains(id)).findFirst().orElse(null);
            Occupancy occupancy = free.contains(id) ? Occupancy.FREE : Occupancy.BUSY;
            return new DeviceState(device, occupancy, occupancy == Occupancy.BUSY ? holder : null);
        }).toList();
        return new ExecutorState(card, devices, status.running(), true, null);
    }

    private static ExecutorState unreachable(ExecutorCard card, String error) {
        List<DeviceState> devices = card.devices().stream()
                .map(device -> new DeviceState(device, Occupancy.UNKNOWN, null)).toList();
        return new ExecutorState(card, devices, List.of(), false, error);
    }
}
