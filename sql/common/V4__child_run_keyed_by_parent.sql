-- Issue 12, "child fires collapse": a child run is one per parent run, not one per (job, fire time,
-- kind). Two parents that finish runs scheduled at the same instant fire their common child twice.
-- parent_run_id names the parent run of a CHILD run and is 0 for every other run; it is NOT NULL so
-- that the fire key still makes a second insert of the same scheduled fire fail (NULLs never clash).
-- A parent's completion processed twice (a leader change) still fires its child once.
ALTER TABLE job_run ADD COLUMN parent_run_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE job_run ADD CONSTRAINT uk_run_fire_parent UNIQUE (job_id, scheduled_at, trigger_kind, parent_run_id);
ALTER TABLE job_run DROP CONSTRAINT uk_run_fire;
