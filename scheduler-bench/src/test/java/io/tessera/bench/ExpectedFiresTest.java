package io.tessera.bench;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpectedFiresTest {

    @Test
    void everySecondGivesEveryWholeSecondOfAHalfOpenWindow() {
        Instant from = Instant.parse("2026-11-25T12:00:00Z");

        assertThat(ExpectedFires.between("* * * * * ?", ZoneOffset.UTC, from, from.plusSeconds(30)))
                .hasSize(30).startsWith(from).endsWith(from.plusSeconds(29));
    }

    @Test
    void aWindowThatStartsBetweenSecondsBeginsAtTheNextOne() {
        Instant from = Instant.parse("2026-11-25T12:00:00.400Z");

        assertThat(ExpectedFires.between("* * * * * ?", ZoneOffset.UTC, from, from.plusSeconds(2)))
                .containsExactly(Instant.parse("2026-11-25T12:00:01Z"), Instant.parse("2026-11-25T12:00:02Z"));
    }

    @Test
    void otherCronsAndZonesFollowQuartz() {
        Instant from = Instant.parse("2026-11-25T12:00:00Z");

        assertThat(ExpectedFires.between("*/10 * * * * ?", ZoneOffset.UTC, from, from.plusSeconds(60))).hasSize(6);
        assertThat(ExpectedFires.between("0 0 13 * * ?", ZoneId.of("Europe/Berlin"), from, from.plusSeconds(3600)))
                .containsExactly(from);
    }

    @Test
    void aBadCronIsRefused() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> ExpectedFires.between("every second", ZoneOffset.UTC, now, now.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every second");
    }
}
