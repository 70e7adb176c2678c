package io.tessera.core.zk;

import java.time.Instant;

/** The data of an {@code /admins/members/{id}} node: an admin that is up and where its API answers. */
public record AdminCard(String id, String url, String version, Instant startedAt) {
}
