package io.tessera.admin.ui.jobs;

import io.tessera.core.schedule.ScheduleType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class SchedulePreviewTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void aDailyCronKeepsItsWallClockTimeAcrossTheChangeToSummerTime() {
        // Berlin moves from +01:00 to +02:00 on 2026-03-29.
        SchedulePreview preview = SchedulePreview.of(ScheduleType.CRON, "0 0 9 * * ?", BERLIN,
                Instant.parse("2026-03-27T00:00:00Z"));

        assertThat(preview.message()).isNull();
        assertThat(preview.times()).containsExactly(
                "Fri 2026-03-27 09:00:00 +01:00 (CET)",
                "Sat 2026-03-28 09:00:00 +01:00 (CET)",
                "Sun 2026-03-29 09:00:00 +02:00 (CEST)",
                "Mon 2026-03-30 09:00:00 +02:00 (CEST)",
                "Tue 2026-03-31 09:00:00 +02:00 (CEST)");
    }

    @Test
    void anHourlyCronSkipsTheHourThatDoesNotExist() {
        SchedulePreview preview = SchedulePreview.of(ScheduleType.CRON, "0 0 * * * ?", BERLIN,
                Instant.parse("2026-03-28T23:30:00Z"));

        assertThat(preview.times()).containsExactly(
                "Sun 2026-03-29 01:00:00 +01:00 (CET)",
                "Sun 2026-03-29 03:00:00 +02:00 (CEST)",
                "Sun 2026-03-29 04:00:00 +02:00 (CEST)",
                "Sun 2026-03-29 05:00:00 +02:00 (CEST)",
                "Sun 2026-03-29 06:00:00 +02:00 (CEST)");
    }

    @Test
    void anInvalidExpressionSaysWhatIsWrongInsteadOfTimes() {
        SchedulePreview preview = SchedulePreview.of(ScheduleType.CRON, "0 0 25 * * ?", BERLIN, Instant.now());

        assertThat(preview.times()).isEmpty();
        assertThat(preview.error()).isTrue();
        assertThat(preview.message()).startsWith("'0 0 25 * * ?' is not valid").contains("e.g. '0 */5 * * * ?'");
    }

    @Test
    void aCronThatQuartzCannotEvenReadIsShownAsAnErrorNotThrown() {
        SchedulePreview preview = SchedulePreview.of(ScheduleType.CRON, "0 0 0 ? * 99999999999#1", BERLIN, Instant.now());

        assertThat(preview.times()).isEmpty();
        assertThat(preview.error()).isTrue();
        assertThat(preview.message()).contains("day-of-week before '#' must be 1-7");
    }

    @Test
    void aCronWithTheWrongNumberOfFieldsIsExplained() {
        SchedulePreview preview = SchedulePreview.of(ScheduleType.CRON, "*/5 * * * *", ZoneId.of("UTC"), Instant.now());

        assertThat(preview.error()).isTrue();
        assertThat(preview.message()).contains("has 5 field(s), not 6 or 7");
    }

    @Test
    void anExpressionThatNeverFiresSaysSo() {
        SchedulePreview february30 = SchedulePreview.of(ScheduleType.CRON, "0 0 0 30 2 ?", BERLIN,
                Instant.parse("2026-01-01T00:00:00Z"));
        SchedulePreview pastYear = SchedulePreview.of(ScheduleType.CRON, "0 0 0 1 1 ? 2020", BERLIN,
                Instant.parse("2026-01-01T00:00:00Z"));

        assertThat(february30.times()).isEmpty();
        assertThat(february30.error()).isTrue();
        assertThat(february30.message()).isEqualTo("'0 0 0 30 2 ?' never fires after Thu 2026-01-01 01:00:00 +01:00 (CET)");
        assertThat(pastYear.error()).isTrue();
        assertThat(pastYear.message()).startsWith("'0 0 0 1 1 ? 2020' never fires after");
    }

    @Test
    void aFixedRateFiresOnItsEpochAlignedGrid() {
        SchedulePreview preview = SchedulePreview.of(ScheduleType.FIXED_RATE, "90", null,
                Instant.parse("2026-01-01T00:00:10Z"));

        assertThat(preview.times()).containsExactly(
                "Thu 2026-01-01 00:01:30 +00:00 (UTC)",
                "Thu 2026-01-01 00:03:00 +00:00 (UTC)",
                "Thu 2026-01-01 00:04:30 +00:00 (UTC)",
                "Thu 2026-01-01 00:06:00 +00:00 (UTC)",
                "Thu 2026-01-01 00:07:30 +00:00 (UTC)");
    }

    @Test
    void aRateOfZeroIsAnError() {
        SchedulePreview preview = SchedulePreview.of(ScheduleType.FIXED_RATE, "0", null, Instant.now());

        assertThat(preview.error()).isTrue();
        assertThat(preview.message()).isEqualTo("a fixed rate must be between 1 and 31622400 seconds, was 0");
    }

    @Test
    void aManualJobHasNoTimesAndThatIsNoError() {
        SchedulePreview preview = SchedulePreview.of(ScheduleType.NONE, "", BERLIN, Instant.now());

        assertThat(preview.times()).isEmpty();
        assertThat(preview.error()).isFalse();
        assertThat(preview.message()).contains("when someone triggers it");
    }
}
