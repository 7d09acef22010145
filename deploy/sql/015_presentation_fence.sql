-- Single use of a QR, durably. A citizen grain keeps the nonces it saw in memory (the fast path); this table is the
-- fence for the rare moment when two activations of one citizen exist at once (Orleans' directory can briefly hold
-- two during membership changes), each with its own memory. The group-committed history writer inserts every
-- consumed nonce here in the same transaction as the history line; a nonce already present makes that verification
-- "replayed" instead. Keyed by the presentation's own issue time (signed in the QR): one QR always lands in one
-- partition, so the key is unique per QR. Partitions are daily and dropped after a day: a QR lives about a minute.
-- Idempotent: safe to run again.

CREATE TABLE IF NOT EXISTS presentation_nonce
(
    issued_at      timestamptz NOT NULL, -- the presentation's signed issue time
    citizen_handle text        NOT NULL,
    nonce          bytea       NOT NULL,
    event_id       uuid        NOT NULL, -- the verification that consumed it
    CONSTRAINT presentation_nonce_pk PRIMARY KEY (citizen_handle, nonce, issued_at)
) PARTITION BY RANGE (issued_at);

CREATE TABLE IF NOT EXISTS presentation_nonce_default PARTITION OF presentation_nonce DEFAULT;

-- Makes one partition per UTC day from days_back before today to days_ahead after it.
CREATE OR REPLACE FUNCTION nid_fence_ensure_partitions(days_back integer, days_ahead integer)
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
        part := 'presentation_nonce_p' || to_char(day, 'YYYYMMDD');
        IF to_regclass(part) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE IF NOT EXISTS %I PARTITION OF presentation_nonce FOR VALUES FROM (%L) TO (%L)',
                part, (day::timestamp AT TIME ZONE 'UTC'), ((day + 1)::timestamp AT TIME ZONE 'UTC'));
            made := made + 1;
        END IF;
    END LOOP;
    RETURN made;
END;
$$;

-- Drops daily partitions that ended more than a day ago (no QR is valid that long). Returns how many were dropped.
CREATE OR REPLACE FUNCTION nid_fence_drop_partitions()
    RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    horizon date := (now() AT TIME ZONE 'UTC')::date - 1;
    dropped integer := 0;
    r       record;
BEGIN
    FOR r IN
        SELECT c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'presentation_nonce' AND c.relname ~ '^presentation_nonce_p[0-9]{8}$'
    LOOP
        IF to_date(substr(r.relname, 21), 'YYYYMMDD') + 1 <= horizon THEN
            EXECUTE format('DROP TABLE IF EXISTS %I', r.relname);
            dropped := dropped + 1;
        END IF;
    END LOOP;
    -- Strays in the default partition (a clock far off): plain deletes, rare.
    DELETE FROM presentation_nonce_default WHERE issued_at < (horizon::timestamp AT TIME ZONE 'UTC');
    RETURN dropped;
END;
$$;

SELECT nid_fence_ensure_partitions(1, 3);
