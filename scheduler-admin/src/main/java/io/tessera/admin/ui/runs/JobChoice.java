package io.tessera.admin.ui.runs;

import io.tessera.core.model.JobDefinition;

/** A job as the job filter offers it: equal by id, so a preselected job matches the listed one. */
record JobChoice(long id, String name) {

    static JobChoice of(JobDefinition job) {
        return new JobChoice(job.id(), job.name());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JobChoice choice && choice.id == id;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }
}
