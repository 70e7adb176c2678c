package io.tessera.admin.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.regex.Pattern;

/**
 * {@code tessera.cluster.*}: how this admin's database is bound to its ZooKeeper state (see
 * {@link ClusterBinding}). Listed in README.md, "Configuration (admin)".
 *
 * @param adoptId a cluster id found in ZooKeeper that this database is to take over although it holds
 *                none or another one; null (the default) refuses such a start. Naming the id, not a
 *                yes/no, keeps a setting left in place from adopting some later, different cluster.
 */
@ConfigurationProperties("tessera.cluster")
public record ClusterProperties(String adoptId) {

    static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}");

    public ClusterProperties {
        adoptId = adoptId == null || adoptId.isBlank() ? null : adoptId.trim();
        if (adoptId != null && !CLUSTER_ID.matcher(adoptId).matches()) {
            throw new IllegalArgumentException("tessera.cluster.adopt-id '" + adoptId + "' is not a cluster id: copy the id"
                    + " the refusal message names (letters, digits, '.', '_', '-', at most 64 characters)");
        }
    }
}
