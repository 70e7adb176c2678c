package io.tessera.admin.ui.jobs;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.BlockStrategy;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.MisfirePolicy;
import io.tessera.core.model.RoutingStrategy;
import io.tessera.core.schedule.Schedule;
import io.tessera.core.schedule.ScheduleType;
import io.tessera.core.validation.ValidationException;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobFormBeanTest {

    @Test
    void everyFieldOfAJobSurvivesTheRoundTripThroughTheForm() {
        JobDefinition job = JobDefinition.builder("train").id(7L).group("gpu").handler("command").params("python train.py")
                .schedule(Schedule.cron("0 0 2 ? * MON-FRI", ZoneId.of("Asia/Tokyo")))
                .shardCount(4).accelerators(new AcceleratorRequirement("GPU", 2, "*A100*80GB*", 40_000)).gang(true)
                .routing(RoutingStrategy.LEAST_BUSY).blockStrategy(BlockStrategy.DISCARD_NEW).misfire(MisfirePolicy.CATCH_UP)
                .timeoutSeconds(3600).maxRetries(3).maxWaitSeconds(600).childJobIds(List.of(3L, 5L)).enabled(false)
                .priority(-40).preemptible(true).queue("team-nlp").preemptionGraceSeconds(120).build();

        assertThat(JobFormBean.of(job).toDefinition()).isEqualTo(job);
        assertThat(JobFormBean.of(job).copy().toDefinition()).isEqualTo(job);
    }

    @Test
    void aFixedRateAndAJobWithoutAcceleratorsSurviveToo() {
        JobDefinition job = JobDefinition.builder("tick").handler("echo").schedule(Schedule.fixedRate(30)).build();

        JobFormBean bean = JobFormBean.of(job);

        assertThat(bean.getRateSeconds()).isEqualTo(30);
        assertThat(bean.getAcceleratorKind()).isEmpty();
        assertThat(bean.toDefinition()).isEqualTo(job);
    }

    @Test
    void aNewFormHasTheModelsDefaultsButNoNameOrHandler() {
        JobFormBean bean = JobFormBean.blank();

        assertThat(bean.getScheduleType()).isEqualTo(ScheduleType.NONE);
        assertThat(bean.getShards()).isEqualTo(1);
        assertThat(bean.getRouting()).isEqualTo(RoutingStrategy.ROUND_ROBIN);
        assertThatThrownBy(bean::toDefinition).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.field()).isEqualTo("name"));
    }

    @Test
    void emptyPriorityAndGraceFieldsMeanTheModelsDefaults() {
        JobFormBean bean = JobFormBean.blank();
        bean.setName("defaults");
        bean.setHandler("echo");
        bean.setPriority(null);
        bean.setPreemptionGraceSeconds(null);
        bean.setQueue(null);

        JobDefinition job = bean.toDefinition();

        assertThat(job.priority()).isZero();
        assertThat(job.preemptionGraceSeconds()).isEqualTo(JobDefinition.DEFAULT_PREEMPTION_GRACE_SECONDS);
        assertThat(job.hasQueue()).isFalse();
    }

    @Test
    void theModelNamesTheFieldAtFault() {
        JobFormBean bean = JobFormBean.blank();
        bean.setName("nightly");
        bean.setHandler("echo");
        bean.setAcceleratorKind("GPU");
        bean.setAcceleratorCount(65);

        assertThatThrownBy(bean::toDefinition).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.field()).isEqualTo("accelerators.count"));

        bean.setAcceleratorCount(1);
        bean.setScheduleType(ScheduleType.CRON);
        bean.setCron("every day");
        assertThatThrownBy(bean::toDefinition).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.field()).isEqualTo("schedule.expression"));
    }

    @Test
    void anEmptyAcceleratorKindMeansNoRequirementWhateverTheOtherFieldsSay() {
        JobFormBean bean = JobFormBean.blank();
        bean.setName("cpu-only");
        bean.setHandler("echo");
        bean.setAcceleratorKind(" ");
        bean.setAcceleratorCount(99);

        assertThat(bean.toDefinition().accelerators()).isNull();
    }
}
