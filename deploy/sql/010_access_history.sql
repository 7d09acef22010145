-- NationalId's own append-only access history (never grain state): every verification attempt that reached a
-- citizen grain, every credential event (bound, suspended, resumed, revoked, locked, unlocked) and every operator
-- read of a citizen's history. Attribute values are never stored: only the names of what was disclosed.
-- The presentation nonce lets a reactivated citizen grain rebuild its single-use window (docs/protocol.md).
-- Partitioned by day on recorded_at; partitions are made ahead and dropped after the retention period by the
-- silo's history maintainer (nid_history_ensure_partitions / nid_history_drop_partitions below).
-- Idempotent: safe to run again.

-- The first schema had an unpartitioned verification_history; nothing was deployed with it.
DROP TABLE IF EXISTS verification_history;

CREATE TABLE IF NOT EXISTS access_history
(
    event_id             uuid        NOT NULL, -- UUIDv7: time-ordered, the paging cursor
    recorded_at          timestamptz NOT NULL,
    citizen_handle       text        NOT NULL,
    kind                 text        NOT NULL, -- verification | bound | suspended | resumed | revoked | locked | unlocked | operator_read
    credential_id        bytea       NULL,
    presentation_nonce   bytea       NULL,
    relying_party_id     text        NULL,
    scope                text        NULL,
    verified             boolean     NULL,
    reason               text        NULL,     -- rejection reason code of a verification
    assurance            smallint    NULL,
    disclosed_attributes text[]      NULL,
    rp_province          text        NULL,
    cross_province       boolean     NULL,
    channel              text        NULL,     -- who acted: device | counter | hotline | remote_face | counter_code | operator
    note                 text        NULL,     -- the stated reason of an operator or citizen action
    CONSTRAINT access_history_pk PRIMARY KEY (recorded_at, event_id)
) PARTITION BY RANGE (recorded_at);

-- Catches rows outside every daily partition, so an append never fails for want of a partition.
CREATE TABLE IF NOT EXISTS access_history_default PARTITION OF access_history DEFAULT;

-- The citizen's own history, newest first, and the replay window.
CREATE INDEX IF NOT EXISTS access_history_citizen_idx ON access_history (citizen_handle, event_id DESC);

-- RPs that verified a citizen recently (who must hear of a revocation), and an RP's own verification log.
CREATE INDEX IF NOT EXISTS access_history_rp_idx ON access_history (relying_party_id, event_id DESC)
    WHERE relying_party_id IS NOT NULL;

-- Makes one partition per UTC day from days_back before today to days_ahead after it.
CREATE OR REPLACE FUNCTION nid_history_ensure_partitions(days_back integer, days_ahead integer)
    RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    day     date;
    made    integer := 0;
    part    text;
BEGIN
    FOR i IN -days_back .. days_ahead LOOP
        day := (now() AT TIME ZONE 'UTC')::date + i;
        part := 'access_history_p' || to_char(day, 'YYYYMMDD');
        IF to_regclass(part) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE IF NOT EXISTS %I PARTITION OF access_history FOR VALUES FROM (%L) TO (%L)',
                part, (day::timestamp AT TIME ZONE 'UTC'), ((day + 1)::timestamp AT TIME ZONE 'UTC'));
            made := made + 1;
        END IF;
    END LOOP;
    RETURN made;
END;
$$;

-- Drops daily partitions that end before the retention horizon. Returns how many were dropped.
CREATE OR REPLACE FUNCTION nid_history_drop_partitions(retain_days integer)
    RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    horizon  date := (now() AT TIME ZONE 'UTC')::date - retain_days;
    dropped  integer := 0;
    r        record;
BEGIN
    FOR r IN
        SELECT c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'access_history' AND c.relname ~ '^access_history_p[0-9]{8}$'
    LOOP
        IF to_date(substr(r.relname, 17), 'YYYYMMDD') + 1 <= horizon THEN
            EXECUTE format('DROP TABLE IF EXISTS %I', r.relname);
            dropped := dropped + 1;
        END IF;
    END LOOP;
    RETURN dropped;
END;
$$;

SELECT nid_history_ensure_partitions(1, 3);
