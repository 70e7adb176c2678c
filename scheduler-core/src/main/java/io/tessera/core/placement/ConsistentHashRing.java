package io.tessera.core.placement;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A hash ring with virtual nodes: adding or removing one executor moves only the keys that
 * executor gains or owned.
 */
final class ConsistentHashRing {

    private static final int VIRTUAL_NODES = 128;

    private final TreeMap<Long, String> ring = new TreeMap<>();
    private final int memberCount;

    ConsistentHashRing(List<String> members) {
        memberCount = (int) members.stream().distinct().count();
        for (String member : members) {
            for (int replica = 0; replica < VIRTUAL_NODES; replica++) {
                ring.put(hash(member + "#" + replica), member);
            }
        }
    }

    /** Members in ring order starting at the key's position, each once. */
    List<String> walk(String key) {
        if (ring.isEmpty()) {
            return List.of();
        }
        java.util.LinkedHashSet<String> order = new java.util.LinkedHashSet<>();
        long position = hash(key);
        for (Map.Entry<Long, String> entry : ring.tailMap(position, true).entrySet()) {
            if (order.add(entry.getValue()) && order.size() == memberCount) {
                return List.copyOf(order);
            }
        }
        for (Map.Entry<Long, String> entry : ring.headMap(position, false).entrySet()) {
            if (order.add(entry.getValue()) && order.size() == memberCount) {
                break;
            }
        }
        return List.copyOf(order);
    }

    /** FNV-1a over UTF-8, finished with MurmurHash3's 64-bit mix so that near keys spread. */
    static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
