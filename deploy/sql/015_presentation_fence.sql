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

-- Daily partitions (the functions of 010): made ahead like the history's, dropped a day after they end.
CREATE OR REPLACE FUNCTION nid_fence_ensure_partitions(days_back integer, days_ahead integer)
    RETURNS integer
    LANGUAGE sql AS
$$ SELECT nid_daily_partitions_ensure('presentation_nonce', days_back, days_ahead) $$;

-- Drops daily partitions that ended more than a day ago (no QR is valid that long), and strays in the default
-- partition (a clock far off: plain deletes, rare). Returns how many partitions were dropped.
CREATE OR REPLACE FUNCTION nid_fence_drop_partitions()
    RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    dropped integer := nid_daily_partitions_drop('presentation_nonce', 1);
BEGIN
    DELETE FROM presentation_nonce_default WHERE issued_at < (((now() AT TIME ZONE 'UTC')::date - 1)::timestamp AT TIME ZONE 'UTC');
    RETURN dropped;
END;
$$;

SELECT nid_fence_ensure_partitions(1, 3);
