package io.tessera.core.zk;

import io.tessera.core.validation.ValidationException;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * Who a Tessera process is to ZooKeeper, and the ACL every node it creates gets: ZooKeeper's digest
 * scheme, one identity per cluster, shared by admins and executors.
 *
 * <p>Every node under the namespace (the namespace's own node included) gets
 * {@code digest:USER:HASH} with all permissions and nothing for anyone else: a client without the
 * cluster's credentials can neither read, create, delete, set data nor change ACLs there.
 *
 * <p>The credentials are, by default, derived from the cluster secret:
 * user {@value #DEFAULT_USER}, password = base64url (no padding) of HMAC-SHA256 keyed with the secret
 * over {@value #DERIVATION_LABEL}. The secret itself never goes to ZooKeeper (a digest password travels
 * in the clear to the server unless the connection uses TLS), and what ZooKeeper stores is only the
 * SHA-1 digest of {@code user:password}. They can also be configured as {@code user:password}.
 *
 * <p>Why one identity and not one for admins and one for executors: ZooKeeper checks DELETE and
 * CREATE on the parent, so an executor that may create its claim under a run's node and delete it
 * when the attempt finishes may create or delete any attempt node there; per-path ACLs cannot keep
 * executors to their own claims. And every agent holds the cluster secret, which already lets it sign
 * results the admin records, so a separate executor identity derived from that secret would separate
 * nothing. What the ACL closes is the open port: whoever reaches ZooKeeper without the cluster's
 * credentials (a neighbour on the network, a job on a shared box) can no longer forge results, register
 * fake executors or admins, or delete the leader latch.
 */
public final class ZkAccess {

    public static final String SCHEME = "digest";
    public static final String DEFAULT_USER = "tessera";
    /** Fixed: the HMAC's message for the default password. Changing it would lock out every existing node. */
    public static final String DERIVATION_LABEL = "tessera-zookeeper-digest-v1";

    private final String user;
    private final String password;
    private final List<ACL> acl;

    private ZkAccess(String user, String password) {
        this.user = user;
        this.password = password;
        try {
            // Not List.of: ZooKeeper's client asks the list whether it contains null, which List.of refuses to answer.
            this.acl = Collections.unmodifiableList(new ArrayList<>(List.of(new ACL(ZooDefs.Perms.ALL,
                    new Id(SCHEME, DigestAuthenticationProvider.generateDigest(user + ":" + password))))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no SHA-1, which ZooKeeper's digest scheme needs", e);
        }
    }

    /** The default: user {@value #DEFAULT_USER}, password derived from the cluster secret. */
    public static ZkAccess fromSecret(String clusterSecret) {
        if (clusterSecret == null || clusterSecret.isEmpty()) {
            throw new ValidationException("secret", "the cluster secret is required to derive the ZooKeeper credentials");
        }
        return new ZkAccess(DEFAULT_USER, derivePassword(clusterSecret));
    }

    /**
     * Explicit credentials, {@code user:password}.
     *
     * @param field what the value is called where the operator set it, for the error message
     */
    public static ZkAccess parse(String field, String userAndPassword) {
        String text = userAndPassword == null ? "" : userAndPassword.strip();
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new ValidationException(field, "ZooKeeper credentials must be user:password (neither part empty)");
        }
        String user = text.substring(0, colon);
        if (!user.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ValidationException(field, "the ZooKeeper user must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        String password = text.substring(colon + 1);
        if (password.length() < 16) {
            throw new ValidationException(field, "the ZooKeeper password must be at least 16 characters");
        }
        return new ZkAccess(user, password);
    }

    /** The explicit credentials when given (not blank), else those derived from the secret. */
    public static ZkAccess of(String field, String explicit, String clusterSecret) {
        return explicit == null || explicit.isBlank() ? fromSecret(clusterSecret) : parse(field, explicit);
    }

    /** HMAC-SHA256(key = secret, message = {@value #DERIVATION_LABEL}), base64url without padding. */
    static String derivePassword(String clusterSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clusterSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(DERIVATION_LABEL.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256", e);
        }
    }

    /** Authenticates the client and gives every node it creates {@link #acl()}. */
    public CuratorFrameworkFactory.Builder apply(CuratorFrameworkFactory.Builder builder) {
        return builder.authorization(SCHEME, authBytes()).aclProvider(aclProvider());
    }

    /** What {@code addauth digest} sends: {@code user:password}. */
    public byte[] authBytes() {
        return (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    /** The same ACL for every path, parents Curator creates included. */
    public ACLProvider aclProvider() {
        return new ACLProvider() {
            @Override
            public List<ACL> getDefaultAcl() {
                return acl;
            }

            @Override
            public List<ACL> getAclForPath(String path) {
                return acl;
            }
        };
    }

    /** {@code digest:USER:HASH} with all permissions; nothing for anyone else. */
    public List<ACL> acl() {
        return acl;
    }

    public String user() {
        return user;
    }

    /** Names the user, never the password. */
    @Override
    public String toString() {
        return "ZkAccess[digest user " + user + "]";
    }
}
