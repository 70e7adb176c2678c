package io.tessera.admin.place;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Allots rendezvous ports (MASTER_PORT) per host so that two distributed runs on one host never share one. */
public final class PortAllocator {

    private final int base;
    private final int count;
    private final Map<String, Set<Integer>> used = new HashMap<>();

    public PortAllocator(int base, int count) {
        this.base = base;
        this.count = count;
    }

    /** The lowest free port on the host, or -1 when every port in the range is taken. */
    public int allot(String host) {
        Set<Integer> taken = used.computeIfAbsent(host, h -> new HashSet<>());
        for (int port = base; port < base + count; port++) {
            if (taken.add(port)) {
                return port;
            }
        }
        return -1;
    }

    public void release(String host, int port) {
        Set<Integer> taken = used.get(host);
        if (taken != null) {
            taken.remove(port);
        }
    }
}
