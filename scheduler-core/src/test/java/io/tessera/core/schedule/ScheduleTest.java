package io.tessera.core.schedule;

import io.tessera.core.validation.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant berlin(int year, int month, int day, int hour, int minute) {
        return ZonedDateTime.of(year, month, day, hour, minute, 0, 0, BERLIN).toInstant();
    }

    private static List<LocalDateTime> local(List<Instant> instants, ZoneId zone) {
        return instants.stream().map(instant -> LocalDateTime.ofInstant(instant, zone)).toList();
    }

    @Test
    void everyFiveSecondsListsTheNextTimesStrictlyAfter() {
        Schedule schedule = Schedule.cron("*/5 * * * * ?", ZoneId.of("UTC"));
        assertThat(schedule.nextFireTimes(Instant.parse("2026-01-01T00:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-01-01T00:00:05Z"), Instant.parse("2026-01-01T00:00:10Z"),
                Instant.parse("2026-01-01T00:00:15Z"));
        assertThat(schedule.nextFireTime(Instant.parse("2026-01-01T00:00:04.999Z")))
                .contains(Instant.parse("2026-01-01T00:00:05Z"));
    }

    @Test
    void hourlyCronSkipsTheHourThatSpringForwardRemoves() {
        Schedule hourly = Schedule.cron("0 0 * * * ?", BERLIN);
        List<Instant> times = hourly.nextFireTimes(berlin(2026, 3, 29, 0, 30), 3);
        // 02:00 does not exist in Berlin on 29 March 2026: clocks jump from 02:00 to 03:00.
        assertThat(local(times, BERLIN)).containsExactly(
                LocalDateTime.of(2026, 3, 29, 1, 0), LocalDateTime.of(2026, 3, 29, 3, 0),
                LocalDateTime.of(2026, 3, 29, 4, 0));
        assertThat(times.get(1)).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
    }

    @Test
    void dailyCronAtANonExistentLocalTimeSkipsThatDay() {
        Schedule schedule = Schedule.cron("0 30 2 * * ?", BERLIN);
        assertThat(local(schedule.nextFireTimes(berlin(2026, 3, 28, 12, 0), 2), BERLIN)).containsExactly(
                LocalDateTime.of(2026, 3, 30, 2, 30), LocalDateTime.of(2026, 3, 31, 2, 30));
    }

    @Test
    void fallBackFiresTheRepeatedLocalTimeOnce() {
        Schedule schedule = Schedule.cron("0 30 2 * * ?", BERLIN);
        List<Instant> times = schedule.nextFireTimes(berlin(2026, 10, 24, 12, 0), 2);
        assertThat(times).containsExactly(Instant.parse("2026-10-25T01:30:00Z"), Instant.parse("2026-10-26T01:30:00Z"));
        assertThat(times).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void timesAreComputedInTheJobsZoneNotTheMachines() {
        Schedule tokyo = Schedule.cron("0 0 9 * * ?", ZoneId.of("Asia/Tokyo"));
        assertThat(tokyo.nextFireTime(Instant.parse("2026-06-01T00:30:00Z"))).contains(Instant.parse("2026-06-02T00:00:00Z"));
    }

    @Test
    void lastDayOfMonth() {
        Schedule schedule = Schedule.cron("0 0 12 L * ?", BERLIN);
        assertThat(local(schedule.nextFireTimes(berlin(2028, 1, 1, 0, 0), 3), BERLIN)).containsExactly(
                LocalDateTime.of(2028, 1, 31, 12, 0), LocalDateTime.of(2028, 2, 29, 12, 0),
                LocalDateTime.of(2028, 3, 31, 12, 0));
    }

    @Test
    void nearestWeekday() {
        Schedule schedule = Schedule.cron("0 0 12 15W * ?", BERLIN);
        // 15 Feb 2026 is a Sunday: the nearest weekday is Monday the 16th; 15 March is also a Sunday.
        assertThat(local(schedule.nextFireTimes(berlin(2026, 2, 1, 0, 0), 3), BERLIN)).containsExactly(
                LocalDateTime.of(2026, 2, 16, 12, 0), LocalDateTime.of(2026, 3, 16, 12, 0),
                LocalDateTime.of(2026, 4, 15, 12, 0));
    }

    @Test
    void nthWeekdayOfMonth() {
        Schedule thirdFriday = Schedule.cron("0 0 12 ? * 6#3", BERLIN);
        assertThat(local(thirdFriday.nextFireTimes(berlin(2026, 1, 1, 0, 0), 3), BERLIN)).containsExactly(
                LocalDateTime.of(2026, 1, 16, 12, 0), LocalDateTime.of(2026, 2, 20, 12, 0),
                LocalDateTime.of(2026, 3, 20, 12, 0));
    }

    @Test
    void fixedRateIsAlignedToTheEpochSoEveryAdminAgrees() {
        Schedule schedule = Schedule.fixedRate(30);
        assertThat(schedule.nextFireTimes(Instant.parse("2026-01-01T00:00:10Z"), 2)).containsExactly(
                Instant.parse("2026-01-01T00:00:30Z"), Instant.parse("2026-01-01T00:01:00Z"));
        assertThat(schedule.nextFireTime(Instant.parse("2026-01-01T00:00:30Z"))).contains(Instant.parse("2026-01-01T00:01:00Z"));
    }

    @Test
    void manualScheduleNeverFires() {
        assertThat(Schedule.none().nextFireTimes(Instant.EPOCH, 5)).isEmpty();
    }

    @Test
    void fireTimesBetweenIsHalfOpenAndBounded() {
        Schedule schedule = Schedule.cron("* * * * * ?", ZoneId.of("UTC"));
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(schedule.fireTimesBetween(from, from.plusSeconds(3), 100)).hasSize(3);
        assertThat(schedule.fireTimesBetween(from, from.plusSeconds(3600), 10)).hasSize(10);
    }

    @Test
    void schedulesWithEqualPartsAreEqual() {
        assertThat(Schedule.of(ScheduleType.CRON, " 0 0 * * * ? ", "Europe/Berlin"))
                .isEqualTo(Schedule.cron("0 0 * * * ?", BERLIN))
                .hasSameHashCodeAs(Schedule.cron("0 0 * * * ?", BERLIN));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "''                          | is empty",
            "* * * * *                   | has 5 field(s), not 6 or 7",
            "0 0 25 * * ?                | Hour values must be between 0 and 23",
            "0 0 12 * * MON              | both a day-of-week AND a day-of-month",
            "abc def ghi jkl mno pqr     | Illegal characters",
            "0 0 12 ? * 2#6              | between 1 and 5 must follow the '#'",
            "0 0 12 ? * 9#2              | day-of-week before '#' must be 1-7",
            "0/0 * * * * ?               | a step of 0",
            "*/61 * * * * ?              | Increment >= 60",
            "0 0 0 32 * ?                | Day of month values must be between 1 and 31",
            "0 0 0 ? 13 *                | Month values must be between 1 and 12",
            "0 0 0 ? * 99999999999#1     | day-of-week before '#' must be 1-7",
            "0 0 0 ? * 0#1               | day-of-week before '#' must be 1-7",
            "0 0 0 ? * 1-99999999999     | is not valid",
            "0 0 0 ? * 1#99999999999     | is not valid",
            "0 0 0 99999999999 * ?       | is not valid",
            "0 0 0 ? * * 99999999999     | is not valid",
    })
    void invalidCronIsRejectedWithAMessageThatSaysWhy(String expression, String why) {
        assertThatThrownBy(() -> Schedule.of(ScheduleType.CRON, expression, "UTC"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(why)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("schedule.expression"));
    }

    @Test
    void cronThatNeverFiresAgainIsRejectedWhereSchedulesAreEntered() {
        Instant now = Instant.parse("2026-11-25T00:00:00Z");
        assertThatThrownBy(() -> Schedule.of(ScheduleType.CRON, "0 0 0 30 2 ?", "UTC").requireFiresAfter(now))
                .hasMessageContaining("never fires");
        assertThatThrownBy(() -> Schedule.of(ScheduleType.CRON, "0 0 0 1 1 ? 2020", "UTC").requireFiresAfter(now))
                .hasMessageContaining("never fires");
        assertThat(Schedule.cron("0 0 0 1 1 ?", ZoneId.of("UTC")).requireFiresAfter(now)).isNotNull();
    }

    @Test
    void unknownTimeZoneIsRejected() {
        assertThatThrownBy(() -> Schedule.of(ScheduleType.CRON, "0 0 * * * ?", "Mars/Olympus"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'Mars/Olympus' is not a time zone")
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("schedule.timezone"));
    }

    @ParameterizedTest
    @CsvSource({"0", "-5", "abc", "1.5", "99999999999"})
    void invalidFixedRateIsRejected(String expression) {
        assertThatThrownBy(() -> Schedule.of(ScheduleType.FIXED_RATE, expression, null))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("schedule.expression");
    }

    @Test
    void missingTypeIsRejected() {
        assertThatThrownBy(() -> Schedule.of(null, "0 * * * * ?", "UTC"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("CRON, FIXED_RATE, NONE");
    }
}
