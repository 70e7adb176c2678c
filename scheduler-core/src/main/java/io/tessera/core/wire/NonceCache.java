package io.tessera.core.wire;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import java.time.Duration;

/**
 * The nonces of signed requests seen within the skew window, so that a captured request cannot be
 * sent again while its timestamp is still fresh. Each nonce is kept until its request's timestamp
 * leaves the window (after that the timestamp check refuses it anyway). Memory is bounded: when
 * {@code capacity} nonces are live, new requests are refused rather than an old nonce forgotten,
 * since forgetting one would let its request be replayed. Only requests whose signature is valid
 * reach the cache, so only a holder of the secret can fill it.
 */
final class NonceCache {

    private final Cache<String, Long> seen;
    private final long capacity;

    /** @param capacity live nonces at most */
    NonceCache(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the nonce cache needs room for at least one nonce");
        }
        this.capacity = capacity;
        this.seen = Caffeine.newBuilder().expireAfter(new UntilStale()).build();
    }

    /**
     * Records a nonce.
     *
     * @param keep how long its request's timestamp stays fresh
     * @return why the request is refused (a repeat, or the cache is full), or null when the nonce is new
     */
    String remember(String nonce, Duration keep) {
        if (seen.estimatedSize() >= capacity) {
            seen.cleanUp();
            if (seen.estimatedSize() >= capacity) {
                return "too many signed requests within the skew window (" + capacity + " nonces); try again shortly";
            }
        }
        Long previous = seen.asMap().putIfAbsent(nonce, Math.max(1, keep.toNanos()));
        return previous == null ? null : "replayed request: nonce " + nonce + " was already used";
    }

    /** The value is the nonce's lifetime in nanoseconds, counted from when it is recorded. */
    private static final class UntilStale implements Expiry<String, Long> {
        @Override
        public long expireAfterCreate(String nonce, Long lifetimeNanos, long currentTime) {
            return lifetimeNanos;
        }

        @Override
        public long expireAfterUpdate(String nonce, Long lifetimeNanos, long currentTime, long currentDuration) {
            return currentDuration;
        }

        @Override
        public long expireAfterRead(String nonce, Long lifetimeNanos, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
