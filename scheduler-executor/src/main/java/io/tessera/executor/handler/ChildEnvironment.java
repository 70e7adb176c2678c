package io.tessera.executor.handler;

import java.util.Map;

/**
 * What a {@code command} job's process inherits from the agent: the agent's environment without any
 * {@code TESSERA_*} variable. Tessera's own variables configure the agent (the cluster secret, the
 * previous secret during a rotation, ZooKeeper credentials, tokens) and are never a job's business;
 * a job that prints its environment into a log a VIEWER can read must not hand out the secret that
 * signs triggers. The shard's own {@code TESSERA_*} variables are added after this rule has run.
 */
public final class ChildEnvironment {

    /** Every inherited variable with this prefix is removed. */
    public static final String RESERVED_PREFIX = "TESSERA_";

    private ChildEnvironment() {
    }

    /** Removes, in place, every variable a child must not inherit (e.g. {@link ProcessBuilder#environment()}). */
    public static void strip(Map<String, String> inherited) {
        inherited.keySet().removeIf(ChildEnvironment::reserved);
    }

    public static boolean reserved(String name) {
        return name.regionMatches(true, 0, RESERVED_PREFIX, 0, RESERVED_PREFIX.length());
    }
}
