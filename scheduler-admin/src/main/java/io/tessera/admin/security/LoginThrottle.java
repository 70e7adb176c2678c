package io.tessera.admin.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tessera.admin.config.TesseraProperties;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Counts failed sign-ins per user name and per client address, in this admin's memory (each admin
 * counts its own): too many within the window lock that name or address out for a while, longer at
 * each lockout. A locked-out attempt is refused before any password check. The map is bounded, so a
 * flood of made-up names cannot fill the heap; an entry is forgotten once it has been quiet for the
 * longest lockout.
 */
public final class LoginThrottle {

    /** What is counted: a user name or a client address. */
    public record Key(Kind kind, String value) {

        public enum Kind { USER, ADDRESS }

        /** As the audit log names it, e.g. {@code user:sam} or {@code address:10.0.0.7}. */
        public String target() {
            return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + value;
        }
    }

    /** A lockout that a failure started. */
    public record Lockout(Key key, int failures, Duration length) {
    }

    private static final int MAX_ENTRIES = 100_000;
    private static final int MAX_NAME_LENGTH = 128;

    private final TesseraProperties.Login settings;
    private final Clock clock;
    private final Cache<Key, Counter> counters;

    public LoginThrottle(TesseraProperties.Login settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        Duration quiet = settings.maxLockout().compareTo(settings.window()) > 0 ? settings.maxLockout() : settings.window();
        this.counters = Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .expireAfterAccess(quiet)
                .ticker(() -> clock.millis() * 1_000_000L)
                .build();
    }

    /** How long this attempt must still wait; empty when it may go on to the password check. */
    public Optional<Duration> refusal(String user, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (Key key : keys(user, address)) {
            Counter counter = counters.getIfPresent(key);
            if (counter != null) {
                Duration left = counter.lockedFor(now);
                wait = left.compareTo(wait) > 0 ? left : wait;
            }
        }
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    /** Counts a failed attempt against the name and the address; returns the lockouts it started. */
    public List<Lockout> failed(String user, String address) {
        Instant now = clock.instant();
        List<Lockout> started = new ArrayList<>();
        for (Key key : keys(user, address)) {
            int limit = key.kind() == Key.Kind.USER ? settings.maxFailuresPerUser() : settings.maxFailuresPerAddress();
            Counter counter = counters.get(key, k -> new Counter());
            Duration lockout = counter.fail(now, limit, settings);
            if (lockout != null) {
                started.add(new Lockout(key, limit, lockout));
            }
        }
        return started;
    }

    /** A correct password forgets the name's failures; the address's stay, or one valid account would reset them. */
    public void succeeded(String user) {
        counters.invalidate(userKey(user));
    }

    private static List<Key> keys(String user, String address) {
        return List.of(userKey(user), new Key(Key.Kind.ADDRESS, address == null ? "unknown" : address));
    }

    private static Key userKey(String user) {
        String name = user == null ? "" : user;
        return new Key(Key.Kind.USER, name.length() > MAX_NAME_LENGTH ? name.substring(0, MAX_NAME_LENGTH) : name);
    }

    /** One name's or address's recent failures and lockouts; guarded by itself. */
    private static final class Counter {

        private final Deque<Instant> failures = new ArrayDeque<>();
        private Instant lockedUntil = Instant.MIN;
        private int lockouts;

        synchronized Duration lockedFor(Instant now) {
            return now.isBefore(lockedUntil) ? Duration.between(now, lockedUntil) : Duration.ZERO;
        }

        /** @return the lockout this failure starts, or null */
        synchronized Duration fail(Instant now, int limit, TesseraProperties.Login settings) {
            Instant windowStart = now.minus(settings.window());
            while (!failures.isEmpty() && !failures.peekFirst().isAfter(windowStart)) {
                failures.removeFirst();
            }
            failures.addLast(now);
            if (failures.size() < limit) {
                return null;
            }
            failures.clear();
            Duration length = settings.lockout().multipliedBy(1L << Math.min(lockouts, 20));
            if (length.compareTo(settings.maxLockout()) > 0) {
                length = settings.maxLockout();
            }
            lockouts++;
            lockedUntil = now.plus(length);
            return length;
        }
    }
}
