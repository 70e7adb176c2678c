package io.tessera.executor.config;

import io.tessera.core.validation.Check;
import io.tessera.core.validation.HostPort;
import io.tessera.core.validation.ValidationException;
import io.tessera.core.wire.RequestSigner;
import io.tessera.core.wire.ResultBatch;
import io.tessera.core.zk.ZkAccess;
import io.tessera.core.zk.ZkLayout;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an executor agent needs, immutable and validated when built. The standalone agent's
 * command line and embedding code both produce one through {@link #builder()}; the defaults work on
 * a laptop with a local ZooKeeper, except the cluster secret, which has no safe default.
 */
public final class AgentConfig {

    private final String zookeeper;
    private final String namespace;
    private final String group;
    private final String advertisedHost;
    private final String bindHost;
    private final int port;
    private final Path dataDir;
    private final String secret;
    private final ZkAccess zookeeperAccess;
    private final List<AcceleratorSpec> accelerators;
    private final boolean detectDevices;
    private final String nvidiaSmi;
    private final Duration detectTimeout;
    private final String rocmSmi;
    private final String npuSmi;
    private final Duration healthInterval;
    private final String xidSource;
    private final boolean allowCommand;
    private final int slots;
    private final Map<String, String> labels;
    private final String executorId;
    private final String version;
    private final Duration sessionTimeout;
    private final Duration connectionTimeout;
    private final Duration logRetention;
    private final Duration logSweepInterval;
    private final URI adminUrl;
    private final Duration reportRetryInitial;
    private final Duration reportRetryMax;
    private final Duration reportTimeout;
    private final int maxRequestBytes;
    private final Duration idleTimeout;
    private final Duration killGrace;
    private final Duration maxClockSkew;
    private final Path tlsCert;
    private final Path tlsKey;
    private final Path tlsClientCa;
    private final Path tlsTrustCa;
    private final String previousSecret;
    private final int maxResultBatchBytes;

    private AgentConfig(Builder b) {
        this.zookeeper = Check.notBlank("zookeeper", b.zookeeper).trim();
        this.namespace = Check.name("namespace", b.namespace);
        this.group = Check.name("group", b.group);
        this.advertisedHost = b.advertisedHost == null || b.advertisedHost.isBlank()
                ? LocalHost.guess() : HostPort.host("advertisedHost", b.advertisedHost);
        this.bindHost = Check.notBlank("bindHost", b.bindHost).trim();
        this.port = Check.range("port", b.port, 0, 65535);
        this.dataDir = Check.notNull("dataDir", b.dataDir).toAbsolutePath().normalize();
        if (b.secret == null || b.secret.length() < RequestSigner.MIN_SECRET_LENGTH) {
            throw new ValidationException("secret", "the cluster secret is required and must be at least "
                    + RequestSigner.MIN_SECRET_LENGTH + " characters (--secret or TESSERA_CLUSTER_SECRET)");
        }
        this.secret = b.secret;
        this.zookeeperAccess = ZkAccess.of("zookeeperAuth", b.zookeeperAuth, b.secret);
        this.accelerators = List.copyOf(b.accelerators);
        this.detectDevices = b.detectDevices;
        this.nvidiaSmi = Check.notBlank("nvidiaSmi", b.nvidiaSmi);
        this.detectTimeout = positive("detectTimeout", b.detectTimeout);
        this.rocmSmi = Check.notBlank("rocmSmi", b.rocmSmi);
        this.npuSmi = Check.notBlank("npuSmi", b.npuSmi);
        if (b.healthInterval == null || b.healthInterval.isNegative()) {
            throw new ValidationException("healthInterval", "must be zero (off) or positive, was " + b.healthInterval);
        }
        this.healthInterval = b.healthInterval;
        this.xidSource = Check.notBlank("xidSource", b.xidSource).trim();
        try {
            io.tessera.executor.handler.ShellWords.split(xidSource);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("xidSource", e.getMessage());
        }
        this.allowCommand = b.allowCommand;
        this.slots = Check.range("slots", b.slots, 1, 100_000);
        this.labels = Map.copyOf(b.labels);
        this.executorId = b.executorId == null ? null : Check.notBlank("executorId", b.executorId);
        this.version = b.version == null ? defaultVersion() : b.version;
        this.sessionTimeout = positive("sessionTimeout", b.sessionTimeout);
        this.connectionTimeout = positive("connectionTimeout", b.connectionTimeout);
        this.logRetention = positive("logRetention", b.logRetention);
        this.logSweepInterval = positive("logSweepInterval", b.logSweepInterval);
        this.adminUrl = b.adminUrl;
        if (adminUrl != null && !"http".equals(adminUrl.getScheme()) && !"https".equals(adminUrl.getScheme())) {
            throw new ValidationException("adminUrl", "'" + adminUrl + "' is not an http(s) URL");
        }
        this.reportRetryInitial = positive("reportRetryInitial", b.reportRetryInitial);
        this.reportRetryMax = positive("reportRetryMax", b.reportRetryMax);
        this.reportTimeout = positive("reportTimeout", b.reportTimeout);
        this.maxRequestBytes = Check.range("maxRequestBytes", b.maxRequestBytes, 1024, 64 * 1024 * 1024);
        this.idleTimeout = positive("idleTimeout", b.idleTimeout);
        this.killGrace = positive("killGrace", b.killGrace);
        this.maxClockSkew = positive("maxClockSkew", b.maxClockSkew);
        this.tlsCert = readable("tlsCert", "--tls-cert", b.tlsCert);
        this.tlsKey = readable("tlsKey", "--tls-key", b.tlsKey);
        this.tlsClientCa = readable("tlsClientCa", "--tls-client-ca", b.tlsClientCa);
        this.tlsTrustCa = readable("tlsTrustCa", "--tls-trust-ca", b.tlsTrustCa);
        if ((tlsCert == null) != (tlsKey == null)) {
            String missing = tlsCert == null ? "tlsCert (--tls-cert)" : "tlsKey (--tls-key)";
            throw new ValidationException(tlsCert == null ? "tlsCert" : "tlsKey", "TLS needs both the certificate chain"
                    + " (--tls-cert) and its private key (--tls-key); " + missing + " is not set");
        }
        if (tlsClientCa != null && tlsCert == null) {
            throw new ValidationException("tlsClientCa", "client certificates (--tls-client-ca) are checked only by a"
                    + " TLS endpoint: set --tls-cert and --tls-key too");
        }
        if (b.previousSecret != null && b.previousSecret.length() < RequestSigner.MIN_SECRET_LENGTH) {
            throw new ValidationException("previousSecret", "the previous cluster secret must be at least "
                    + RequestSigner.MIN_SECRET_LENGTH + " characters (--previous-secret or TESSERA_CLUSTER_PREVIOUS_SECRET)");
        }
        this.previousSecret = b.previousSecret;
        this.maxResultBatchBytes = Check.range("maxResultBatchBytes", b.maxResultBatchBytes, 64 * 1024, 64 * 1024 * 1024);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** ZooKeeper connect string, {@code host:port[,host:port...]}. Default {@code 127.0.0.1:2181}. */
    public String zookeeper() { return zookeeper; }

    /** Curator namespace every path lives under. Default {@code tessera}. */
    public String namespace() { return namespace; }

    /** The executor group jobs address. Default {@code default}. */
    public String group() { return group; }

    /**
     * Host put in the executor card for the admin to call, as an address writes it (IPv6 in brackets).
     * Default: this machine's address. A name an HTTP URI cannot carry ({@code my_gpu_box}) is refused.
     */
    public String advertisedHost() { return advertisedHost; }

    /** Interface the endpoint listens on. Default {@code 0.0.0.0}. */
    public String bindHost() { return bindHost; }

    /** Endpoint port; 0 picks a free one (the card carries the real one). Default 9999. */
    public int port() { return port; }

    /** Holds {@code logs/} and {@code spool/}. Default {@code ./tessera-agent}. */
    public Path dataDir() { return dataDir; }

    /** The cluster secret that signs admin↔executor requests. Required. */
    public String secret() { return secret; }

    /**
     * Who this agent is to ZooKeeper: the digest credentials given as {@code user:password}, or by
     * default those derived from the cluster secret, as the admin derives them.
     */
    public ZkAccess zookeeperAccess() { return zookeeperAccess; }

    /** Devices declared in configuration. */
    public List<AcceleratorSpec> accelerators() { return accelerators; }

    /** Whether {@code nvidia-smi} is read; when false only declared devices count. Default true. */
    public boolean detectDevices() { return detectDevices; }

    /** The {@code nvidia-smi} executable. Default {@code nvidia-smi} on the PATH. */
    public String nvidiaSmi() { return nvidiaSmi; }

    /** How long device detection may take. Default 10 s. */
    public Duration detectTimeout() { return detectTimeout; }

    /** The {@code rocm-smi} executable (AMD GPUs). Default {@code rocm-smi} on the PATH. */
    public String rocmSmi() { return rocmSmi; }

    /** The {@code npu-smi} executable (Huawei Ascend NPUs). Default {@code npu-smi} on the PATH. */
    public String npuSmi() { return npuSmi; }

    /**
     * How often detected NVIDIA GPUs' health (ECC errors, retired pages, remapped rows) and use are
     * read again; zero turns it off. Default 30 s.
     */
    public Duration healthInterval() { return healthInterval; }

    /**
     * The command whose output is the kernel log the NVIDIA driver's Xid reports are read from, at each
     * health reading, or {@code off}. Default {@code dmesg}.
     */
    public String xidSource() { return xidSource; }

    /** Whether the built-in {@code command} handler may run. Default false. */
    public boolean allowCommand() { return allowCommand; }

    /** How many shards this agent holds (running or queued) at once. Default 8. */
    public int slots() { return slots; }

    public Map<String, String> labels() { return labels; }

    /** A fixed executor id, or null to make a unique one per process. */
    public String executorId() { return executorId; }

    public String version() { return version; }

    /**
     * ZooKeeper session timeout asked for (the server may grant another within its bounds). Default 30 s.
     * Cut off from ZooKeeper, the agent stops its shards before the granted timeout has passed since it
     * last heard from the server, less the kill grace: by then the leader may have given them to someone else.
     */
    public Duration sessionTimeout() { return sessionTimeout; }

    public Duration connectionTimeout() { return connectionTimeout; }

    /** Shard logs older than this are removed. Default 7 days. */
    public Duration logRetention() { return logRetention; }

    public Duration logSweepInterval() { return logSweepInterval; }

    /** Where results go when a trigger names no {@code reportTo}; null when there is no admin yet. */
    public URI adminUrl() { return adminUrl; }

    public Duration reportRetryInitial() { return reportRetryInitial; }

    public Duration reportRetryMax() { return reportRetryMax; }

    public Duration reportTimeout() { return reportTimeout; }

    /** Largest request body the endpoint accepts (413 beyond). Default 1 MiB. */
    public int maxRequestBytes() { return maxRequestBytes; }

    /** An HTTP connection idle this long is closed. Default 60 s. */
    public Duration idleTimeout() { return idleTimeout; }

    /**
     * Time between asking a process tree to stop and killing it. Default 5 s. Keep it under a third of
     * the session timeout: shards stopped for lost contact with ZooKeeper must be gone before the session can expire.
     */
    public Duration killGrace() { return killGrace; }

    /** Largest accepted difference between a request's timestamp and now. Default 60 s. */
    public Duration maxClockSkew() { return maxClockSkew; }

    /** PEM certificate chain the endpoint serves TLS with (leaf first); null for plaintext HTTP. Set with {@link #tlsKey()}. */
    public Path tlsCert() { return tlsCert; }

    /** PEM PKCS#8 private key of {@link #tlsCert()}; null for plaintext HTTP. */
    public Path tlsKey() { return tlsKey; }

    /** PEM CA certificate(s) a caller's client certificate must chain to; null to ask callers for none. */
    public Path tlsClientCa() { return tlsClientCa; }

    /** PEM CA certificate(s) trusted for an https admin, instead of the JDK's default trust store; null for the default. */
    public Path tlsTrustCa() { return tlsTrustCa; }

    /** Whether the endpoint speaks TLS (and the card says https). */
    public boolean tls() { return tlsCert != null; }
    /**
     * During a rotation of the cluster secret, a second accepted one (the new one before the switch, the
     * old one after it): requests signed with it are accepted too, while this agent signs with
     * {@link #secret()}. Null (the default) for none.
     */
    public String previousSecret() { return previousSecret; }

    /**
     * The largest result report sent to an admin, encoded; a larger burst goes as several reports.
     * Keep it at most the admins' {@code tessera.executor-results.max-body-bytes}. Default 4 MiB, as theirs.
     */
    public int maxResultBatchBytes() { return maxResultBatchBytes; }

    public Path logDir() { return dataDir.resolve("logs"); }

    public Path spoolDir() { return dataDir.resolve("spool"); }

    private static Duration positive(String field, Duration value) {
        Check.notNull(field, value);
        if (value.isNegative() || value.isZero()) {
            throw new ValidationException(field, "must be positive, was " + value);
        }
        return value;
    }

    private static Path readable(String field, String flag, Path file) {
        if (file == null) {
            return null;
        }
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute) || !Files.isReadable(absolute)) {
            throw new ValidationException(field, flag + " " + absolute + " is not a readable file");
        }
        return absolute;
    }

    private static String defaultVersion() {
        String v = AgentConfig.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Mutable, not thread-safe; {@link #build()} validates. */
    public static final class Builder {
        private String zookeeper = "127.0.0.1:2181";
        private String namespace = ZkLayout.DEFAULT_NAMESPACE;
        private String group = "default";
        private String advertisedHost;
        private String bindHost = "0.0.0.0";
        private int port = 9999;
        private Path dataDir = Path.of("tessera-agent");
        private String secret;
        private String zookeeperAuth;
        private final List<AcceleratorSpec> accelerators = new ArrayList<>();
        private boolean detectDevices = true;
        private String nvidiaSmi = "nvidia-smi";
        private Duration detectTimeout = Duration.ofSeconds(10);
        private String rocmSmi = "rocm-smi";
        private String npuSmi = "npu-smi";
        private Duration healthInterval = Duration.ofSeconds(30);
        private String xidSource = "dmesg";
        private boolean allowCommand;
        private int slots = 1_024;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private String executorId;
        private String version;
        private Duration sessionTimeout = Duration.ofSeconds(30);
        private Duration connectionTimeout = Duration.ofSeconds(10);
        private Duration logRetention = Duration.ofDays(7);
        private Duration logSweepInterval = Duration.ofHours(1);
        private URI adminUrl;
        private Duration reportRetryInitial = Duration.ofSeconds(1);
        private Duration reportRetryMax = Duration.ofMinutes(1);
        private Duration reportTimeout = Duration.ofSeconds(10);
        private int maxRequestBytes = 1024 * 1024;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration killGrace = Duration.ofSeconds(5);
        private Duration maxClockSkew = RequestSigner.DEFAULT_MAX_SKEW;
        private Path tlsCert;
        private Path tlsKey;
        private Path tlsClientCa;
        private Path tlsTrustCa;
        private String previousSecret;
        private int maxResultBatchBytes = ResultBatch.DEFAULT_MAX_BYTES;

        private Builder() {
        }

        public Builder zookeeper(String connect) { this.zookeeper = connect; return this; }
        public Builder namespace(String namespace) { this.namespace = namespace; return this; }
        public Builder group(String group) { this.group = group; return this; }
        public Builder advertisedHost(String host) { this.advertisedHost = host; return this; }
        public Builder bindHost(String host) { this.bindHost = host; return this; }
        public Builder port(int port) { this.port = port; return this; }
        public Builder dataDir(Path dir) { this.dataDir = dir; return this; }
        public Builder secret(String secret) { this.secret = secret; return this; }
        /** ZooKeeper digest credentials {@code user:password}; null (default) to derive them from the secret. */
        public Builder zookeeperAuth(String userAndPassword) { this.zookeeperAuth = userAndPassword; return this; }
        public Builder accelerator(AcceleratorSpec spec) { this.accelerators.add(Objects.requireNonNull(spec)); return this; }
        public Builder accelerator(String spec) { return accelerator(AcceleratorSpec.parse(spec)); }
        public Builder detectDevices(boolean detect) { this.detectDevices = detect; return this; }
        public Builder nvidiaSmi(String executable) { this.nvidiaSmi = executable; return this; }
        public Builder detectTimeout(Duration timeout) { this.detectTimeout = timeout; return this; }
        public Builder rocmSmi(String executable) { this.rocmSmi = executable; return this; }
        public Builder npuSmi(String executable) { this.npuSmi = executable; return this; }
        public Builder healthInterval(Duration interval) { this.healthInterval = interval; return this; }
        public Builder xidSource(String source) { this.xidSource = source; return this; }
        public Builder allowCommand(boolean allow) { this.allowCommand = allow; return this; }
        public Builder slots(int slots) { this.slots = slots; return this; }
        public Builder label(String key, String value) { this.labels.put(Check.notBlank("label", key), value == null ? "" : value); return this; }
        public Builder executorId(String id) { this.executorId = id; return this; }
        public Builder version(String version) { this.version = version; return this; }
        public Builder sessionTimeout(Duration timeout) { this.sessionTimeout = timeout; return this; }
        public Builder connectionTimeout(Duration timeout) { this.connectionTimeout = timeout; return this; }
        public Builder logRetention(Duration retention) { this.logRetention = retention; return this; }
        public Builder logSweepInterval(Duration interval) { this.logSweepInterval = interval; return this; }
        public Builder adminUrl(URI url) { this.adminUrl = url; return this; }
        public Builder adminUrl(String url) { this.adminUrl = url == null ? null : URI.create(url); return this; }
        public Builder reportRetry(Duration initial, Duration max) { this.reportRetryInitial = initial; this.reportRetryMax = max; return this; }
        public Builder reportTimeout(Duration timeout) { this.reportTimeout = timeout; return this; }
        public Builder maxRequestBytes(int bytes) { this.maxRequestBytes = bytes; return this; }
        public Builder idleTimeout(Duration timeout) { this.idleTimeout = timeout; return this; }
        public Builder killGrace(Duration grace) { this.killGrace = grace; return this; }
        public Builder maxClockSkew(Duration skew) { this.maxClockSkew = skew; return this; }
        /** Serve TLS with this PEM certificate chain and PKCS#8 private key; null for both: plaintext. */
        public Builder tls(Path certChain, Path privateKey) { this.tlsCert = certChain; this.tlsKey = privateKey; return this; }
        public Builder tlsCert(Path certChain) { this.tlsCert = certChain; return this; }
        public Builder tlsKey(Path privateKey) { this.tlsKey = privateKey; return this; }
        public Builder tlsClientCa(Path caCertificates) { this.tlsClientCa = caCertificates; return this; }
        public Builder tlsTrustCa(Path caCertificates) { this.tlsTrustCa = caCertificates; return this; }
        public Builder previousSecret(String secret) { this.previousSecret = secret == null || secret.isBlank() ? null : secret; return this; }
        public Builder maxResultBatchBytes(int bytes) { this.maxResultBatchBytes = bytes; return this; }

        public AgentConfig build() {
            return new AgentConfig(this);
        }
    }
}
