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

-- Daily partitions of any table partitioned by range on a timestamptz, named <parent>_pYYYYMMDD (the history here,
-- the single-use fence in 015). Makes one per UTC day from days_back before today to days_ahead after it; returns how
-- many it made.
CREATE OR REPLACE FUNCTION nid_daily_partitions_ensure(parent text, days_back integer, days_ahead integer)
    RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    day  date;
    made integer := 0;
    part text;
BEGIN
    FOR i IN -days_back .. days_ahead LOOP
        day := (now() AT TIME ZONE 'UTC')::date + i;
        part := parent || '_p' || to_char(day, 'YYYYMMDD');
        IF to_regclass(part) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE IF NOT EXISTS %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                part, parent, (day::timestamp AT TIME ZONE 'UTC'), ((day + 1)::timestamp AT TIME ZONE 'UTC'));
            made := made + 1;
        END IF;
    END LOOP;
    RETURN made;
END;
$$;

-- Drops the daily partitions of parent that end before today - retain_days. Returns how many were dropped.
CREATE OR REPLACE FUNCTION nid_daily_partitions_drop(parent text, retain_days integer)
    RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    horizon date := (now() AT TIME ZONE 'UTC')::date - retain_days;
    dropped integer := 0;
    r       record;
BEGIN
    FOR r IN
        SELECT c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = parent AND c.relname ~ ('^' || parent || '_p[0-9]{8}$')
    LOOP
        IF to_date(substr(r.relname, length(parent) + 3), 'YYYYMMDD') + 1 <= horizon THEN
            EXECUTE format('DROP TABLE IF EXISTS %I', r.relname);
            dropped := dropped + 1;
        END IF;
    END LOOP;
    RETURN dropped;
END;
$$;

-- The history's own names for them (the maintainer and the tests call these).
CREATE OR REPLACE FUNCTION nid_history_ensure_partitions(days_back integer, days_ahead integer)
    RETURNS integer
    LANGUAGE sql AS
$$ SELECT nid_daily_partitions_ensure('access_history', days_back, days_ahead) $$;

CREATE OR REPLACE FUNCTION nid_history_drop_partitions(retain_days integer)
    RETURNS integer
    LANGUAGE sql AS
$$ SELECT nid_daily_partitions_drop('access_history', retain_days) $$;

SELECT nid_history_ensure_partitions(1, 3);
