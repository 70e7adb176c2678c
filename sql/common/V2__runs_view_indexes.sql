-- The runs view pages runs newest first by job, and by job and status ("the failed runs of this
-- job"). These indexes hold exactly that order, so a page reads its 50 rows and stops, and a count
-- reads only the matching entries, instead of sorting every run of a busy job. They are descending
-- because H2 only takes an index for an ORDER BY whose directions match it (MySQL 8 and MariaDB
-- 10.8+ keep them descending too; older servers read them backwards, as fast).
-- Status alone uses idx_run_status_time and time alone idx_run_time (V1).
CREATE INDEX idx_run_job_time ON job_run (job_id DESC, scheduled_at DESC, id DESC);
CREATE INDEX idx_run_job_status_time ON job_run (job_id DESC, status DESC, scheduled_at DESC, id DESC);
