-- Tessera schema, version 1. One script for H2 (MODE=MySQL) and MySQL/MariaDB: the same mappers
-- run on both, so the same SQL must. Timestamps are DATETIME(3) holding UTC wall-clock time: the
-- admin writes and reads them as UTC whatever the JVM's or the server's time zone is.
-- utf8mb4_bin: names compare case-sensitively on MySQL as they do on H2.
-- Dialect-only scripts go to sql/h2/ and sql/mysql/ (MariaDB uses sql/mysql/ too).

CREATE TABLE job (
    id                BIGINT       NOT NULL AUTO_INCREMENT,
    name              VARCHAR(128) NOT NULL,
    job_group         VARCHAR(128) NOT NULL,
    schedule_type     VARCHAR(16)  NOT NULL,
    schedule_expr     VARCHAR(255) NOT NULL,
    schedule_zone     VARCHAR(64)  NOT NULL,
    handler           VARCHAR(128) NOT NULL,
    params            MEDIUMTEXT   NOT NULL,
    shard_count       INT          NOT NULL,
    accelerators      VARCHAR(255) NULL,
    gang              BOOLEAN      NOT NULL,
    routing           VARCHAR(32)  NOT NULL,
    block_strategy    VARCHAR(32)  NOT NULL,
    misfire           VARCHAR(32)  NOT NULL,
    timeout_seconds   INT          NOT NULL,
    max_retries       INT          NOT NULL,
    max_wait_seconds  INT          NOT NULL,
    child_job_ids     VARCHAR(4000) NOT NULL,
    enabled           BOOLEAN      NOT NULL,
    version           INT          NOT NULL,
    created_at        DATETIME(3)  NOT NULL,
    updated_at        DATETIME(3)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_job_name UNIQUE (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX idx_job_enabled_type ON job (enabled, schedule_type);

-- One row per fire. uk_run_fire makes a second insert of the same fire fail, whichever admin
-- writes it; uk_run_idempotency does the same for API triggers that carry a key (NULLs never clash).
CREATE TABLE job_run (
    id                BIGINT       NOT NULL AUTO_INCREMENT,
    job_id            BIGINT       NOT NULL,
    trigger_kind      VARCHAR(16)  NOT NULL,
    scheduled_at      DATETIME(3)  NOT NULL,
    idempotency_key   VARCHAR(128) NULL,
    status            VARCHAR(16)  NOT NULL,
    params            MEDIUMTEXT   NOT NULL,
    shard_total       INT          NOT NULL,
    attempt           INT          NOT NULL,
    created_at        DATETIME(3)  NOT NULL,
    started_at        DATETIME(3)  NULL,
    finished_at       DATETIME(3)  NULL,
    message           TEXT         NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_run_fire UNIQUE (job_id, scheduled_at, trigger_kind),
    CONSTRAINT uk_run_idempotency UNIQUE (job_id, idempotency_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The UI pages runs newest first, by job, by status, or all; reconciliation lists open ones.
CREATE INDEX idx_run_status_time ON job_run (status, scheduled_at);
CREATE INDEX idx_run_time ON job_run (scheduled_at);

CREATE TABLE shard_run (
    run_id            BIGINT       NOT NULL,
    shard_index       INT          NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    executor_id       VARCHAR(255) NULL,
    attempt           INT          NOT NULL,
    devices           VARCHAR(1024) NOT NULL,
    started_at        DATETIME(3)  NULL,
    finished_at       DATETIME(3)  NULL,
    exit_code         INT          NULL,
    message           TEXT         NULL,
    PRIMARY KEY (run_id, shard_index),
    CONSTRAINT fk_shard_run FOREIGN KEY (run_id) REFERENCES job_run (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE app_user (
    id                BIGINT       NOT NULL AUTO_INCREMENT,
    name              VARCHAR(128) NOT NULL,
    password_hash     VARCHAR(255) NOT NULL,
    role              VARCHAR(16)  NOT NULL,
    enabled           BOOLEAN      NOT NULL,
    created_at        DATETIME(3)  NOT NULL,
    updated_at        DATETIME(3)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_user_name UNIQUE (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Tokens are kept as SHA-256 hex of the token; the token itself is shown once and never stored.
CREATE TABLE api_token (
    id                BIGINT       NOT NULL AUTO_INCREMENT,
    name              VARCHAR(128) NOT NULL,
    token_hash        CHAR(64)     NOT NULL,
    role              VARCHAR(16)  NOT NULL,
    created_by        VARCHAR(128) NOT NULL,
    created_at        DATETIME(3)  NOT NULL,
    last_used_at      DATETIME(3)  NULL,
    revoked_at        DATETIME(3)  NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_token_hash UNIQUE (token_hash)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX idx_token_name ON api_token (name);

CREATE TABLE audit_log (
    id                BIGINT       NOT NULL AUTO_INCREMENT,
    at                DATETIME(3)  NOT NULL,
    actor             VARCHAR(128) NOT NULL,
    action            VARCHAR(64)  NOT NULL,
    target            VARCHAR(255) NULL,
    detail            TEXT         NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX idx_audit_at ON audit_log (at);
