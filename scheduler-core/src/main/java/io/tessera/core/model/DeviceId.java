package io.tessera.core.model;

/** Identifies one device on one executor: indices are counted per kind, as vendors' tools do. */
public record DeviceId(String kind, int index) {

    public DeviceId {
        kind = Device.normaliseKind("kind", kind);
    }

    public static DeviceId of(Device device) {
        return new DeviceId(device.kind(), device.index());
    }

    @Override
    public String toString() {
        return kind + ":" + index;
    }
}
