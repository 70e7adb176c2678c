-- The cluster's identity. The same id is kept in ZooKeeper (/cluster-id under the namespace); an admin
-- refuses to start when the two differ, or when ZooKeeper holds an id and this database none, so that a
-- database never runs on another cluster's ZooKeeper state (whose finished attempts would pass for its
-- own runs'). One row: id is always 1, so that admins starting together store one cluster id.
CREATE TABLE cluster_identity (
    id                INT          NOT NULL,
    cluster_id        VARCHAR(64)  NOT NULL,
    created_at        DATETIME(3)  NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
