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
 * /executors/{group}/member-{seq}            ephemeral-sequential, an executor's card
 * /admins/members/{adminId}                  ephemeral, an admin that is up
 * /admins/leader                             Curator leader-election recipe
 * /runs/{bucket}/{runId}                     container, made by the leader before the run's shards are sent
 * /runs/{bucket}/{runId}/{shard}-{attempt}   one attempt of one shard: EPHEMERAL while an executor holds it
 *                                            (data: a {@link ShardClaim}; its creation zxid is the fencing
 *                                            token), replaced in one transaction by a PERSISTENT node with the
 *                                            same name holding the result once it finished
 * /signals/jobs                              persistent; any admin bumps it after changing a job
 * /signals/runs                              persistent; any admin bumps it after recording a trigger or a result
 * /cluster-id                                persistent; the id of the cluster whose database this state belongs to
 * </pre>
 *
 * <p>Runs are bucketed ({@code bucket = runId / }{@value #RUNS_PER_BUCKET}) so that no parent ever
 * has more children than one ZooKeeper reply can carry (1 MiB). The attempt is part of the name, so
 * the result of an earlier attempt can never stand in the way of a retry, and one create claims an
 * attempt: it fails while the attempt is held (an ephemeral node) and once it finished (a persistent one).
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
    /**
     * Holds the cluster's id (UTF-8), the same as its database's: an admin whose database holds
     * another id, or none while this node exists, refuses to start.
     */
    public static final String CLUSTER_ID = "/cluster-id";
    public static final String MEMBER_PREFIX = "member-";
    /** Run nodes per bucket: a bucket's children list stays far below ZooKeeper's 1 MiB reply limit. */
    public static final int RUNS_PER_BUCKET = 10_000;

    private static final Pattern MEMBER_PATH = Pattern.compile("^/executors/([^/]+)/(member-[^/]+)$");
    private static final Pattern ATTEMPT_PATH = Pattern.compile("^/runs/(\\d{1,18})/(\\d{1,18})/(\\d{1,9})-(\\d{1,9})$");
    private static final Pattern ATTEMPT_NAME = Pattern.compile("^(\\d{1,9})-(\\d{1,9})$");

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

    /** The bucket a run's node lives in. */
    public static long bucketOf(long runId) {
        return requireNonNegative(runId, "runId") / RUNS_PER_BUCKET;
    }

    public static String bucket(long bucket) {
        return RUNS + "/" + requireNonNegative(bucket, "bucket");
    }

    public static String run(long runId) {
        return bucket(bucketOf(runId)) + "/" + runId;
    }

    /** The node of one attempt of one shard: its claim while held, its result once finished. */
    public static String attempt(long runId, int shard, int attempt) {
        return run(runId) + "/" + attemptName(shard, attempt);
    }

    /** The name of an attempt's node under its run's node. */
    public static String attemptName(int shard, int attempt) {
        requireNonNegative(shard, "shard");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
        }
        return shard + "-" + attempt;
    }

    /** A member node's group and node name, if the path is a member node's. */
    public static Optional<MemberPath> parseMember(String path) {
        Matcher matcher = MEMBER_PATH.matcher(path);
        return matcher.matches() ? Optional.of(new MemberPath(matcher.group(1), matcher.group(2))) : Optional.empty();
    }

    /** The run, shard and attempt an attempt node's path names, if it is one and lies in its run's bucket. */
    public static Optional<AttemptPath> parseAttempt(String path) {
        Matcher matcher = ATTEMPT_PATH.matcher(path);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long bucket = Long.parseLong(matcher.group(1));
        long runId = Long.parseLong(matcher.group(2));
        int shard = Integer.parseInt(matcher.group(3));
        int attempt = Integer.parseInt(matcher.group(4));
        if (runId / RUNS_PER_BUCKET != bucket || attempt < 1) {
            return Optional.empty();
        }
        return Optional.of(new AttemptPath(runId, shard, attempt));
    }

    /** The shard and attempt of a child of a run's node, if the name is an attempt's. */
    public static Optional<AttemptPath> parseAttemptName(long runId, String name) {
        Matcher matcher = ATTEMPT_NAME.matcher(name);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int attempt = Integer.parseInt(matcher.group(2));
        return attempt < 1 ? Optional.empty() : Optional.of(new AttemptPath(runId, Integer.parseInt(matcher.group(1)), attempt));
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

    public record AttemptPath(long runId, int shard, int attempt) {
        public String path() {
            return ZkLayout.attempt(runId, shard, attempt);
        }
    }
}
