package io.tessera.core.zk;

import io.tessera.core.validation.Check;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every ZooKeeper path Tessera uses, and the parsers that read them back. Paths are relative to
 * the Curator namespace (default {@code tessera}), so they start with '/' and never name it.
 *
 * <pre>
 * /executors/{group}/member-{seq}     ephemeral-sequential, an executor's card
 * /admins/members/{adminId}           ephemeral, an admin that is up
 * /admins/leader                      Curator leader-election recipe
 * /runs/{runId}/{shard}/claim         ephemeral, the shard's lease
 * /runs/{runId}/{shard}/done          persistent, the shard's result
 * /signals/jobs                       persistent; any admin bumps it after changing a job
 * /signals/runs                       persistent; any admin bumps it after recording a trigger or a result
 * </pre>
 */
public final class ZkLayout {

    public static final String DEFAULT_NAMESPACE = "tessera";
    public static final String EXECUTORS = "/executors";
    public static final String ADMINS = "/admins";
    public static final String ADMIN_MEMBERS = ADMINS + "/members";
    public static final String LEADER = ADMINS + "/leader";
    public static final String RUNS = "/runs";
    public static final String SIGNALS = "/signals";
    /** Bumped (data set) by any admin that changed a job, so the leader reloads jobs at once. */
    public static final String SIGNAL_JOBS = SIGNALS + "/jobs";
    /** Bumped by any admin that recorded a manual/API trigger or a result, so the leader looks at once. */
    public static final String SIGNAL_RUNS = SIGNALS + "/runs";
    public static final String MEMBER_PREFIX = "member-";
    public static final String CLAIM = "claim";
    public static final String DONE = "done";

    private static final Pattern MEMBER_PATH = Pattern.compile("^/executors/([^/]+)/(member-[^/]+)$");
    private static final Pattern SHARD_PATH = Pattern.compile("^/runs/(\\d+)/(\\d+)(?:/(claim|done))?$");

    private ZkLayout() {
    }

    public static String group(String group) {
        return EXECUTORS + "/" + Check.name("group", group);
    }

    /** The prefix an executor passes to an ephemeral-sequential create. */
    public static String memberPrefix(String group) {
        return group(group) + "/" + MEMBER_PREFIX;
    }

    public static String adminMember(String adminId) {
        return ADMIN_MEMBERS + "/" + Check.name("adminId", adminId);
    }

    public static String run(long runId) {
        return RUNS + "/" + requireNonNegative(runId, "runId");
    }

    public static String shard(long runId, int shard) {
        return run(runId) + "/" + requireNonNegative(shard, "shard");
    }

    public static String claim(long runId, int shard) {
        return shard(runId, shard) + "/" + CLAIM;
    }

    public static String done(long runId, int shard) {
        return shard(runId, shard) + "/" + DONE;
    }

    /** A member node's group and node name, if the path is a member node's. */
    public static Optional<MemberPath> parseMember(String path) {
        Matcher matcher = MEMBER_PATH.matcher(path);
        return matcher.matches() ? Optional.of(new MemberPath(matcher.group(1), matcher.group(2))) : Optional.empty();
    }

    /** The run and shard a shard, claim or done path belongs to. */
    public static Optional<ShardPath> parseShard(String path) {
        Matcher matcher = SHARD_PATH.matcher(path);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ShardPath(Long.parseLong(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                    matcher.group(3)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static long requireNonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    public record MemberPath(String group, String node) {
        /** The sequence ZooKeeper appended; orders members by registration. */
        public long sequence() {
            return Long.parseLong(node.substring(MEMBER_PREFIX.length()));
        }
    }

    /** @param leaf {@code claim}, {@code done}, or null for the shard node itself */
    public record ShardPath(long runId, int shard, String leaf) {
    }
}
