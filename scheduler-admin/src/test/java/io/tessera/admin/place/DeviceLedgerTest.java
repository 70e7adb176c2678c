package io.tessera.admin.place;

import io.tessera.core.model.DeviceId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceLedgerTest {

    private static final DeviceId GPU0 = new DeviceId("GPU", 0);
    private static final DeviceId GPU1 = new DeviceId("GPU", 1);

    @Test
    void holdsAndReleasesDevicesAndSlots() {
        DeviceLedger ledger = new DeviceLedger();
        ledger.hold("a", List.of(GPU0));
        ledger.hold("a", List.of(GPU1));
        ledger.hold("b", List.of());
        assertThat(ledger.busy()).containsEntry("a", Set.of(GPU0, GPU1)).doesNotContainKey("b");
        assertThat(ledger.running()).containsEntry("a", 2).containsEntry("b", 1);

        ledger.release("a", List.of(GPU0));
        assertThat(ledger.busy()).containsEntry("a", Set.of(GPU1));
        assertThat(ledger.runningShards("a")).isEqualTo(1);
        ledger.release("a", List.of(GPU1));
        assertThat(ledger.busy()).doesNotContainKey("a");
        assertThat(ledger.running()).doesNotContainKey("a");

        ledger.forget("b");
        assertThat(ledger.running()).isEmpty();
    }

    @Test
    void portsAreAllottedPerHostAndReused() {
        PortAllocator ports = new PortAllocator(29500, 2);
        assertThat(ports.allot("h1")).isEqualTo(29500);
        assertThat(ports.allot("h1")).isEqualTo(29501);
        assertThat(ports.allot("h1")).isEqualTo(-1);
        assertThat(ports.allot("h2")).isEqualTo(29500);
        ports.release("h1", 29500);
        assertThat(ports.allot("h1")).isEqualTo(29500);
    }
}
