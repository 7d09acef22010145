-- What this database holds, recorded by the first silo that started on it (Grains/Storage/ShardMap.cs): the citizen
-- shard it is and the buckets it serves, or "national: no citizens" for the national database of a sharded
-- deployment. Every silo compares it with its own configuration at start and refuses to start on a difference, so a
-- changed shard or region map can never make citizens' state silently unreachable (the grain would read "not
-- enrolled" and enrol them again). One row. Idempotent.
CREATE TABLE IF NOT EXISTS storage_role
(
    singleton   boolean     NOT NULL DEFAULT true PRIMARY KEY CHECK (singleton),
    role        text        NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
