package io.tessera.admin.config;

import io.tessera.core.model.JobDefinition;
import io.tessera.core.placement.PlacementStrategy;
import io.tessera.core.validation.HostPort;
import io.tessera.core.validation.ValidationException;
import io.tessera.core.zk.ZkAccess;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Everything under {@code tessera.*}: immutable, with defaults that work on a laptop, validated when
 * bound so that a bad value stops the admin at start with a message that says what to change.
 * Every property is listed in README.md, "Configuration (admin)".
 *
 * @param dataDir       where the H2 database, the embedded ZooKeeper's data and the generated cluster
 *                      secret live
 * @param clusterSecret the secret admin↔executor requests are signed with; null to generate one and
 *                      keep it in {@code {dataDir}/cluster-secret} (see {@link ClusterSecret})
 * @param advertisedHost the host name or address executors and other admins reach this admin at;
 *                       null for this machine's address
 * @param tls           how this admin calls executors whose card says https (its own https is {@code server.ssl.*})
 * @param clusterSecretFile where the cluster secret is kept when {@code clusterSecret} is not given:
 *                       read if it exists, else generated there; {@code {dataDir}/cluster-secret} by default
 * @param login          how failed sign-ins are throttled
 * @param clusterPreviousSecret during a rotation of the cluster secret, a second accepted one (the new
 *                       one before the switch, the old one after it); this admin signs with
 *                       {@code clusterSecret}; null for none
 */
@ConfigurationProperties("tessera")
public record TesseraProperties(@DefaultValue(DEFAULT_DATA_DIR) Path dataDir,
                                @DefaultValue ZooKeeper zookeeper,
                                String clusterSecret,
                                String advertisedHost,
                                @DefaultValue Api api,
                                @DefaultValue Engine engine,
                                @DefaultValue Ui ui,
                                @DefaultValue Tls tls,
                                Path clusterSecretFile,
                                @DefaultValue Login login,
                                String clusterPreviousSecret,
                                @DefaultValue ExecutorResults executorResults,
                                java.util.Map<String, Quota> quotas) {

    public static final String DEFAULT_DATA_DIR = "./data";
    /** As {@link io.tessera.core.wire.RequestSigner#MIN_SECRET_LENGTH}. */
    public static final int MIN_SECRET_LENGTH = 16;
    /** As {@link io.tessera.core.wire.ResultBatch#DEFAULT_MAX_BYTES}, the agents' default. */
    static final String DEFAULT_MAX_RESULTS_BODY = "4MB";

    public TesseraProperties {
        if (dataDir == null || dataDir.toString().isBlank()) {
            throw invalid("tessera.data-dir", "must not be empty; it is where the database and ZooKeeper keep their files");
        }
        clusterSecret = blankToNull(clusterSecret);
        advertisedHost = blankToNull(advertisedHost);
        if (advertisedHost != null && !advertisedHost.matches("[A-Za-z0-9._\\-]+|\\[[0-9A-Fa-f:.]+]")) {
            throw invalid("tessera.advertised-host", "'" + advertisedHost + "' is not a host name or IP address");
        }
        if (ui == null) {
            ui = new Ui(null, null, null);
        }
        if (tls == null) {
            tls = new Tls(null, null, null);
        }
        if (clusterSecret != null && clusterSecretFile != null) {
            throw invalid("tessera.cluster-secret-file", "and tessera.cluster-secret are both set; keep the secret in"
                    + " one place: the file keeps it out of the command line and the environment");
        }
        if (clusterSecretFile == null || clusterSecretFile.toString().isBlank()) {
            clusterSecretFile = dataDir.resolve("cluster-secret");
        }
        if (login == null) {
            login = new Login(5, 20, Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofHours(1));
        }
        if (executorResults == null) {
            executorResults = new ExecutorResults(null, null);
        }
        quotas = quotas == null ? java.util.Map.of() : java.util.Map.copyOf(quotas);
        queueQuotas(quotas);
        clusterPreviousSecret = blankToNull(clusterPreviousSecret);
        if (clusterPreviousSecret != null && clusterPreviousSecret.length() < MIN_SECRET_LENGTH) {
            throw invalid("tessera.cluster-previous-secret", "is " + clusterPreviousSecret.length()
                    + " characters long; it must be the old cluster secret, which had at least " + MIN_SECRET_LENGTH);
        }
        if (clusterSecret != null && clusterSecret.length() < MIN_SECRET_LENGTH) {
            throw invalid("tessera.cluster-secret", "is " + clusterSecret.length() + " characters long; use at least "
                    + MIN_SECRET_LENGTH + " (e.g. 32 random bytes in base64), or leave it out to have one generated");
        }
    }

    /** The queues' quotas as the engine takes them. */
    public java.util.List<io.tessera.core.placement.QueueQuota> queueQuotas() {
        return queueQuotas(quotas);
    }

    private static java.util.List<io.tessera.core.placement.QueueQuota> queueQuotas(java.util.Map<String, Quota> quotas) {
        java.util.List<io.tessera.core.placement.QueueQuota> all = new java.util.ArrayList<>();
        quotas.forEach((queue, quota) -> {
            String key = "tessera.quotas." + queue + ".devices";
            if (quota.devices() == null || quota.devices().isEmpty()) {
                throw invalid(key, "is empty; give the queue's limits as KIND:COUNT[:MODEL], e.g. GPU:8:*H100*,GPU:4");
            }
            try {
                all.add(new io.tessera.core.placement.QueueQuota(queue,
                        quota.devices().stream().map(io.tessera.core.placement.QuotaLimit::parse).toList(), quota.borrowing()));
            } catch (io.tessera.core.validation.ValidationException e) {
                throw invalid(key, e.getMessage());
            }
        });
        return all;
    }

    /**
     * One queue's quota ({@code tessera.quotas.<queue>.*}).
     *
     * @param devices   limits {@code KIND:COUNT[:MODEL]}: at most COUNT devices of the kind (and model glob) in use
     *                  at once by the queue's running shards; a device counts against the first limit that covers it
     * @param borrowing whether the queue may use idle devices beyond its quota, given back by preemption when a queue
     *                  within its own quota needs them
     */
    public record Quota(java.util.List<String> devices, @DefaultValue("true") boolean borrowing) {
    }

    /**
     * @param connect        a ZooKeeper connect string ({@code host:port,host:port}); empty to start
     *                       an embedded server on {@code embeddedPort}
     * @param embeddedPort   the embedded server's client port; 0 for any free port (then executors
     *                       cannot know it in advance: for tests and single-machine setups)
     * @param namespace      the root node every path lives under, without a leading slash
     * @param auth           ZooKeeper digest credentials {@code user:password}; empty to derive them from
     *                       the cluster secret (see {@link ZkAccess})
     * @param embeddedBindAddress the address the embedded server listens on: {@code 127.0.0.1} (this
     *                       machine only) unless executors on other machines must reach it
     */
    public record ZooKeeper(@DefaultValue("") String connect,
                            @DefaultValue("2181") int embeddedPort,
                            @DefaultValue("tessera") String namespace,
                            @DefaultValue("15s") Duration sessionTimeout,
                            @DefaultValue("10s") Duration connectionTimeout,
                            @DefaultValue("") String auth,
                            @DefaultValue("127.0.0.1") String embeddedBindAddress) {

        private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._\\-]+)(:\\d{1,5})?");
        private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.\\-]+(/[A-Za-z0-9_.\\-]+)*");

        public ZooKeeper {
            connect = connect == null ? "" : connect.trim();
            if (!connect.isEmpty()) {
                checkConnect(connect);
            }
            if (embeddedPort < 0 || embeddedPort > 65535) {
                throw invalid("tessera.zookeeper.embedded-port", "must be a TCP port between 1 and 65535 (or 0 for any"
                        + " free port), was " + embeddedPort);
            }
            if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
                throw invalid("tessera.zookeeper.namespace", "'" + namespace + "' is not a ZooKeeper namespace: use letters,"
                        + " digits, '.', '_', '-' (and '/' between parts), without a leading slash, e.g. 'tessera'");
            }
            auth = auth == null ? "" : auth.strip();
            if (!auth.isEmpty()) {
                try {
                    ZkAccess.parse("tessera.zookeeper.auth", auth);
                } catch (ValidationException e) {
                    throw invalid("tessera.zookeeper.auth", "is not usable: " + e.reason()
                            + "; leave it empty to derive the credentials from the cluster secret");
                }
            }
            embeddedBindAddress = embeddedBindAddress == null || embeddedBindAddress.isBlank() ? "127.0.0.1"
                    : embeddedBindAddress.strip();
            try {
                HostPort.host("tessera.zookeeper.embedded-bind-address", embeddedBindAddress);
            } catch (IllegalArgumentException e) {
                throw invalid("tessera.zookeeper.embedded-bind-address", "'" + embeddedBindAddress + "' is not an address"
                        + " to listen on: use an IP address or host name of this machine, 127.0.0.1 (the default: this"
                        + " machine only) or 0.0.0.0 (every interface)");
            }
            positive("tessera.zookeeper.session-timeout", sessionTimeout);
            positive("tessera.zookeeper.connection-timeout", connectionTimeout);
            if (sessionTimeout.compareTo(Duration.ofSeconds(4)) < 0 || sessionTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw invalid("tessera.zookeeper.session-timeout", "must be between 4s and 10m, was " + sessionTimeout);
            }
        }

        public boolean embedded() {
            return connect.isEmpty();
        }

        /** Never shows the ZooKeeper password. */
        @Override
        public String toString() {
            return "ZooKeeper[connect=" + connect + ", embeddedPort=" + embeddedPort + ", namespace=" + namespace
                    + ", sessionTimeout=" + sessionTimeout + ", connectionTimeout=" + connectionTimeout
                    + ", auth=" + (auth.isEmpty() ? "derived from the cluster secret" : "(set)")
                    + ", embeddedBindAddress=" + embeddedBindAddress + "]";
        }

        private static void checkConnect(String connect) {
            String hosts = connect;
            int chroot = connect.indexOf('/');
            if (chroot >= 0) {
                hosts = connect.substring(0, chroot);
            }
            for (String server : hosts.split(",", -1)) {
                String entry = server.trim();
                if (entry.isEmpty() || !HOST_PORT.matcher(entry).matches()) {
                    throw invalid("tessera.zookeeper.connect", "'" + connect + "' is not a ZooKeeper connect string: expected"
                            + " host:port[,host:port…], e.g. 'zk1:2181,zk2:2181'; leave it empty for the embedded server");
                }
                int colon = entry.lastIndexOf(':');
                if (colon > 0 && entry.lastIndexOf(']') < colon) {
                    int port = Integer.parseInt(entry.substring(colon + 1));
                    if (port < 1 || port > 65535) {
                        throw invalid("tessera.zookeeper.connect", "'" + entry + "' has port " + port
                                + ", which is not between 1 and 65535");
                    }
                }
            }
        }
    }

    /**
     * @param bootstrapToken an API token with the ADMIN role, kept (hashed) as token {@code bootstrap}; null for none
     * @param maxBodyBytes   the largest API request body; larger ones are answered 413
     * @param maxParamsBytes the largest {@code params} of a trigger (at most a job's own limit, 64 KiB)
     */
    public record Api(String bootstrapToken,
                      @DefaultValue("256KB") DataSize maxBodyBytes,
                      @DefaultValue("64KB") DataSize maxParamsBytes) {

        public Api {
            bootstrapToken = blankToNull(bootstrapToken);
            if (bootstrapToken != null && bootstrapToken.length() < MIN_SECRET_LENGTH) {
                throw invalid("tessera.api.bootstrap-token", "is " + bootstrapToken.length() + " characters long; use at least "
                        + MIN_SECRET_LENGTH + " random characters");
            }
            if (maxBodyBytes == null) {
                maxBodyBytes = DataSize.ofKilobytes(256);
            }
            if (maxParamsBytes == null) {
                maxParamsBytes = DataSize.ofKilobytes(64);
            }
            if (maxBodyBytes.toBytes() < 1024 || maxBodyBytes.toBytes() > 64L * 1024 * 1024) {
                throw invalid("tessera.api.max-body-bytes", "must be between 1KB and 64MB, was " + maxBodyBytes);
            }
            if (maxParamsBytes.toBytes() < 1 || maxParamsBytes.toBytes() > JobDefinition.MAX_PARAMS_BYTES) {
                throw invalid("tessera.api.max-params-bytes", "must be between 1B and " + JobDefinition.MAX_PARAMS_BYTES
                        + "B (a job's own limit), was " + maxParamsBytes);
            }
        }
    }

    /**
     * TLS towards executors that serve https: which of them to trust, and the certificate to show those that ask for
     * one (mutual TLS). Every file is PEM; the key unencrypted PKCS#8 or PKCS#1.
     *
     * @param trustCa    CA certificates executors' certificates must chain to; null for the JDK's default trust store
     * @param clientCert this admin's client certificate chain, for executors started with {@code --tls-client-ca}
     * @param clientKey  the private key of {@code clientCert}
     */
    public record Tls(Path trustCa, Path clientCert, Path clientKey) {

        public Tls {
            trustCa = readable("tessera.tls.trust-ca", trustCa);
            clientCert = readable("tessera.tls.client-cert", clientCert);
            clientKey = readable("tessera.tls.client-key", clientKey);
            if ((clientCert == null) != (clientKey == null)) {
                throw invalid(clientCert == null ? "tessera.tls.client-cert" : "tessera.tls.client-key", "is not set, but"
                        + " a client certificate needs both tessera.tls.client-cert and tessera.tls.client-key");
            }
        }

        private static Path readable(String property, Path file) {
            if (file == null || file.toString().isBlank()) {
                return null;
            }
            Path absolute = file.toAbsolutePath().normalize();
            if (!Files.isRegularFile(absolute) || !Files.isReadable(absolute)) {
                throw invalid(property, absolute + " is not a readable file");
            }
            return absolute;
        }
    }

    /**
     * Where executors report results ({@code POST /api/v1/executor/results}).
     *
     * @param maxBodyBytes the largest report; a larger one is refused with 413 before it is read. Agents
     *                     split their reports below their own {@code --max-result-batch-bytes}, whose
     *                     default is the same
     * @param maxBufferedBytes the most bytes of reports held at once while they are read (a report must be
     *                     read whole before its signature is checked); a report that does not fit now is
     *                     answered 503, and the agent sends it again
     */
    public record ExecutorResults(@DefaultValue(DEFAULT_MAX_RESULTS_BODY) DataSize maxBodyBytes,
                                  @DefaultValue("32MB") DataSize maxBufferedBytes) {

        public ExecutorResults {
            if (maxBodyBytes == null) {
                maxBodyBytes = DataSize.parse(DEFAULT_MAX_RESULTS_BODY);
            }
            if (maxBufferedBytes == null) {
                maxBufferedBytes = DataSize.ofMegabytes(32);
            }
            if (maxBodyBytes.toBytes() < 64 * 1024 || maxBodyBytes.toBytes() > 64L * 1024 * 1024) {
                throw invalid("tessera.executor-results.max-body-bytes", "must be between 64KB and 64MB, was " + maxBodyBytes);
            }
            if (maxBufferedBytes.toBytes() <= maxBodyBytes.toBytes() || maxBufferedBytes.toBytes() > 1024L * 1024 * 1024) {
                throw invalid("tessera.executor-results.max-buffered-bytes", "must be more than max-body-bytes ("
                        + maxBodyBytes + ") and at most 1GB, was " + maxBufferedBytes);
            }
        }
    }

    /**
     * Failed sign-ins, counted in this admin's memory: after {@code maxFailuresPerUser} for one user
     * name, or {@code maxFailuresPerAddress} from one client address, within {@code window}, further
     * attempts are refused without a password check for {@code lockout}, doubled at each lockout of
     * the same name or address up to {@code maxLockout}.
     */
    public record Login(@DefaultValue("5") int maxFailuresPerUser,
                        @DefaultValue("20") int maxFailuresPerAddress,
                        @DefaultValue("5m") Duration window,
                        @DefaultValue("1m") Duration lockout,
                        @DefaultValue("1h") Duration maxLockout) {

        public Login {
            if (maxFailuresPerUser < 1 || maxFailuresPerUser > 1000) {
                throw invalid("tessera.login.max-failures-per-user", "must be between 1 and 1000, was " + maxFailuresPerUser);
            }
            if (maxFailuresPerAddress < 1 || maxFailuresPerAddress > 100000) {
                throw invalid("tessera.login.max-failures-per-address", "must be between 1 and 100000, was "
                        + maxFailuresPerAddress);
            }
            positive("tessera.login.window", window);
            positive("tessera.login.lockout", lockout);
            positive("tessera.login.max-lockout", maxLockout);
            if (maxLockout.compareTo(lockout) < 0) {
                throw invalid("tessera.login.max-lockout", "(" + maxLockout + ") must not be shorter than"
                        + " tessera.login.lockout (" + lockout + ")");
            }
        }
    }

    /**
     * The web UI.
     *
     * @param adminUser       the name of the ADMIN user created when the database has no user at all
     * @param adminPassword   that user's password; null to generate one and print it once in the log
     * @param refreshInterval how often open views (dashboard, executors, a running run) refresh themselves
     */
    public record Ui(@DefaultValue("admin") String adminUser,
                     String adminPassword,
                     @DefaultValue("3s") Duration refreshInterval) {

        public static final int MIN_PASSWORD_LENGTH = 8;

        public Ui {
            adminUser = blankToNull(adminUser);
            if (adminUser == null) {
                adminUser = "admin";
            }
            if (!adminUser.matches("[A-Za-z0-9._@\\-]{1,64}")) {
                throw invalid("tessera.ui.admin-user", "'" + adminUser + "' is not a user name: use 1 to 64 letters, digits, '.', '_', '@' or '-'");
            }
            adminPassword = blankToNull(adminPassword);
            if (adminPassword != null && adminPassword.length() < MIN_PASSWORD_LENGTH) {
                throw invalid("tessera.ui.admin-password", "is " + adminPassword.length() + " characters long; use at least "
                        + MIN_PASSWORD_LENGTH + ", or leave it out to have one generated and printed once in the log");
            }
            if (refreshInterval == null) {
                refreshInterval = Duration.ofSeconds(3);
            }
            if (refreshInterval.compareTo(Duration.ofMillis(500)) < 0 || refreshInterval.compareTo(Duration.ofMinutes(10)) > 0) {
                throw invalid("tessera.ui.refresh-interval", "must be between 500ms and 10m, was " + refreshInterval);
            }
        }
    }

    /**
     * The scheduling engine's settings.
     *
     * @param lookAhead            how far ahead the timer loads fire times
     * @param tick                 how often the leader records the fires that enter the look-ahead
     * @param misfireThreshold     how late a fire may be and still count as on time
     * @param catchUpLimit         most missed fires a CATCH_UP job replays after downtime
     * @param placement            how shards that need devices choose executors
     * @param dispatchTimeout      how long a trigger to an executor may take
     * @param dispatchLead         scheduled shards are sent this long before their fire time and start on time
     * @param dispatchLeadPerShard and this much longer per shard firing at the same time, so that a burst of
     *                             thousands of shards is claimed before its fire time
     * @param maxBatchesInFlight   trigger batches one executor may have unanswered at once; more wait and merge
     * @param finishedRunRetention how long ZooKeeper nodes of finished runs are kept before cleanup
     * @param reconcileInterval    how often the leader compares open runs with ZooKeeper
     * @param retryBackoff         the first retry of a failed shard waits this long, each further one twice as long
     * @param rendezvousBasePort   the first port allotted as MASTER_PORT to multi-shard runs
     * @param rendezvousPortCount  how many ports from the base may be allotted per host
     * @param adminId              this admin's id among admins; default: host name plus a short random suffix
     */
    public record Engine(@DefaultValue("2500ms") Duration lookAhead,
                         @DefaultValue("50ms") Duration tick,
                         @DefaultValue("5s") Duration misfireThreshold,
                         @DefaultValue("100") int catchUpLimit,
                         @DefaultValue("PACK") PlacementStrategy placement,
                         @DefaultValue("5s") Duration dispatchTimeout,
                         @DefaultValue("200ms") Duration dispatchLead,
                         @DefaultValue("100us") Duration dispatchLeadPerShard,
                         @DefaultValue("2") int maxBatchesInFlight,
                         @DefaultValue("30s") Duration finishedRunRetention,
                         @DefaultValue("10s") Duration reconcileInterval,
                         @DefaultValue("1s") Duration retryBackoff,
                         @DefaultValue("29500") int rendezvousBasePort,
                         @DefaultValue("500") int rendezvousPortCount,
                         String adminId) {

        private static final Pattern ADMIN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{0,127}");

        public Engine {
            positive("tessera.engine.look-ahead", lookAhead);
            positive("tessera.engine.tick", tick);
            if (tick.compareTo(lookAhead) > 0) {
                throw invalid("tessera.engine.tick", "(" + tick + ") must not be longer than tessera.engine.look-ahead ("
                        + lookAhead + ")");
            }
            positive("tessera.engine.misfire-threshold", misfireThreshold);
            if (catchUpLimit < 0 || catchUpLimit > 100_000) {
                throw invalid("tessera.engine.catch-up-limit", "must be between 0 and 100000, was " + catchUpLimit);
            }
            if (placement == null) {
                throw invalid("tessera.engine.placement", "must be PACK or SPREAD");
            }
            positive("tessera.engine.dispatch-timeout", dispatchTimeout);
            if (dispatchLead == null || dispatchLead.isNegative() || dispatchLead.compareTo(lookAhead) >= 0) {
                throw invalid("tessera.engine.dispatch-lead", "must be at least 0 and shorter than tessera.engine.look-ahead ("
                        + lookAhead + "), was " + dispatchLead);
            }
            if (dispatchLeadPerShard == null || dispatchLeadPerShard.isNegative()
                    || dispatchLeadPerShard.compareTo(Duration.ofMillis(10)) > 0) {
                throw invalid("tessera.engine.dispatch-lead-per-shard", "must be between 0 and 10ms, was " + dispatchLeadPerShard);
            }
            if (maxBatchesInFlight < 1 || maxBatchesInFlight > 64) {
                throw invalid("tessera.engine.max-batches-in-flight", "must be between 1 and 64, was " + maxBatchesInFlight);
            }
            if (finishedRunRetention == null || finishedRunRetention.isNegative()) {
                throw invalid("tessera.engine.finished-run-retention", "must not be negative");
            }
            positive("tessera.engine.reconcile-interval", reconcileInterval);
            positive("tessera.engine.retry-backoff", retryBackoff);
            if (rendezvousBasePort < 1024 || rendezvousPortCount < 1 || rendezvousBasePort + rendezvousPortCount > 65536) {
                throw invalid("tessera.engine.rendezvous-base-port", "and rendezvous-port-count must give ports within"
                        + " 1024-65535, were " + rendezvousBasePort + " and " + rendezvousPortCount);
            }
            adminId = blankToNull(adminId);
            if (adminId == null) {
                adminId = defaultAdminId();
            } else if (!ADMIN_ID.matcher(adminId).matches()) {
                throw invalid("tessera.engine.admin-id", "'" + adminId + "' is not a valid id: use letters, digits, '.', '_'"
                        + " and '-', at most 128 characters");
            }
        }

        static String defaultAdminId() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException | SecurityException e) {
                host = "admin";
            }
            host = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.\\-]", "-");
            if (host.isEmpty() || !Character.isLetterOrDigit(host.charAt(0))) {
                host = "admin" + host;
            }
            if (host.length() > 100) {
                host = host.substring(0, 100);
            }
            return host + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(name, "must be a positive duration such as '10s' or '500ms', was " + value);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static IllegalArgumentException invalid(String property, String problem) {
        return new IllegalArgumentException(property + " " + problem);
    }
}
