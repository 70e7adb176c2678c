-- Priorities, preemption and quota queues (issue 14). Existing jobs keep today's behaviour: priority 0,
-- not preemptible, no queue, 30 s of grace should they be made preemptible later.
ALTER TABLE job ADD COLUMN priority INT NOT NULL DEFAULT 0;
ALTER TABLE job ADD COLUMN preemptible BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE job ADD COLUMN queue_name VARCHAR(128) NOT NULL DEFAULT '';
ALTER TABLE job ADD COLUMN preemption_grace_seconds INT NOT NULL DEFAULT 30;

-- Every preemption, for the run's history and for its retry budget (a preempted attempt does not use a
-- retry, also after a leader change): which attempt of which shard was stopped, for which run, and why.
CREATE TABLE run_preemption (
    id                BIGINT       NOT NULL AUTO_INCREMENT,
    run_id            BIGINT       NOT NULL,
    shard_index       INT          NOT NULL,
    attempt           INT          NOT NULL,
    by_run_id         BIGINT       NULL,
    by_job_name       VARCHAR(128) NOT NULL,
    reason            VARCHAR(1024) NOT NULL,
    preempted_at      DATETIME(3)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_run_preemption UNIQUE (run_id, shard_index, attempt),
    CONSTRAINT fk_run_preemption FOREIGN KEY (run_id) REFERENCES job_run (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
