package io.tessera.admin.security;

import io.tessera.admin.config.TesseraProperties;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The throttle's rules on a clock the test moves: window, lockout, growing backoff, per name and address. */
class LoginThrottleTest {

    private static final TesseraProperties.Login SETTINGS = new TesseraProperties.Login(3, 10, Duration.ofMinutes(5),
            Duration.ofMinutes(1), Duration.ofMinutes(3));

    private final MovableClock clock = new MovableClock();
    private final LoginThrottle throttle = new LoginThrottle(SETTINGS, clock);

    @Test
    void theThirdFailureWithinTheWindowLocksTheNameOutAndTheLockoutGrowsUpToItsMaximum() {
        assertThat(throttle.failed("amy", "10.0.0.1")).isEmpty();
        assertThat(throttle.failed("amy", "10.0.0.2")).isEmpty();
        assertThat(throttle.refusal("amy", "10.0.0.3")).isEmpty();

        List<LoginThrottle.Lockout> first = throttle.failed("amy", "10.0.0.3");
        assertThat(first).singleElement().satisfies(lockout -> {
            assertThat(lockout.key().target()).isEqualTo("user:amy");
            assertThat(lockout.length()).isEqualTo(Duration.ofMinutes(1));
        });
        assertThat(throttle.refusal("amy", "10.0.0.9")).contains(Duration.ofMinutes(1));
        assertThat(throttle.refusal("bob", "10.0.0.9")).as("another name").isEmpty();

        clock.move(Duration.ofSeconds(61));
        assertThat(throttle.refusal("amy", "10.0.0.9")).isEmpty();
        assertThat(lockoutAfterThreeFailures()).isEqualTo(Duration.ofMinutes(2));
        clock.move(Duration.ofMinutes(2).plusSeconds(1));
        assertThat(lockoutAfterThreeFailures()).isEqualTo(Duration.ofMinutes(3));
        clock.move(Duration.ofMinutes(3).plusSeconds(1));
        assertThat(lockoutAfterThreeFailures()).as("capped").isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void failuresOlderThanTheWindowDoNotCountAndSuccessForgetsTheName() {
        throttle.failed("amy", "10.0.0.1");
        throttle.failed("amy", "10.0.0.1");
        clock.move(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(throttle.failed("amy", "10.0.0.1")).isEmpty();
        assertThat(throttle.failed("amy", "10.0.0.1")).isEmpty();

        throttle.succeeded("amy");
        assertThat(throttle.failed("amy", "10.0.0.1")).isEmpty();
        assertThat(throttle.failed("amy", "10.0.0.1")).isEmpty();
        assertThat(throttle.failed("amy", "10.0.0.1")).extracting(l -> l.key().target()).containsExactly("user:amy");
    }

    @Test
    void anAddressLocksAfterItsOwnLimitAcrossNamesAndASuccessDoesNotResetIt() {
        for (int i = 0; i < 9; i++) {
            assertThat(throttle.failed("name-" + i, "10.0.0.7")).isEmpty();
            throttle.succeeded("mallory");
        }
        assertThat(throttle.failed("name-9", "10.0.0.7")).extracting(l -> l.key().target())
                .containsExactly("address:10.0.0.7");
        assertThat(throttle.refusal("anyone", "10.0.0.7")).contains(Duration.ofMinutes(1));
        assertThat(throttle.refusal("anyone", "10.0.0.8")).isEmpty();
    }

    private Duration lockoutAfterThreeFailures() {
        throttle.failed("amy", "10.0.0.1");
        throttle.failed("amy", "10.0.0.1");
        return throttle.failed("amy", "10.0.0.1").get(0).length();
    }

    private static final class MovableClock extends Clock {

        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
