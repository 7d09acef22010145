-- Per-RP feed of credential events for relying parties that keep offline caches (docs/architecture.md, Events).
-- Filled from the Orleans event stream by the feed grains; read by GET /v1/relying-parties/me/events.
-- Each RP's rows carry a contiguous sequence assigned under a per-RP lock, so "everything after seq N" never skips
-- a row that commits late. The same event is never stored twice for one RP (at-least-once delivery upstream).
-- Only the RP's own pseudonym of the citizen is stored: nothing that links across RPs.
-- Idempotent: safe to run again.

CREATE TABLE IF NOT EXISTS rp_event_feed
(
    relying_party_id text        NOT NULL,
    seq              bigint      NOT NULL,
    event_id         uuid        NOT NULL,
    kind             text        NOT NULL,
    pseudonym        text        NOT NULL,
    occurred_at      timestamptz NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT rp_event_feed_pk PRIMARY KEY (relying_party_id, seq),
    CONSTRAINT rp_event_feed_event_uq UNIQUE (relying_party_id, event_id)
);

CREATE INDEX IF NOT EXISTS rp_event_feed_recorded_idx ON rp_event_feed (recorded_at);

-- Appends one event for one RP unless it is already there; returns the row's sequence number either way.
CREATE OR REPLACE FUNCTION nid_rp_feed_append(rp text, evt uuid, evt_kind text, evt_pseudonym text, evt_at timestamptz)
    RETURNS bigint
    LANGUAGE plpgsql AS
$$
DECLARE
    existing bigint;
    next_seq bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('rp_event_feed:' || rp, 0));
    SELECT seq INTO existing FROM rp_event_feed WHERE relying_party_id = rp AND event_id = evt;
    IF existing IS NOT NULL THEN
        RETURN existing;
    END IF;
    SELECT coalesce(max(seq), 0) + 1 INTO next_seq FROM rp_event_feed WHERE relying_party_id = rp;
    INSERT INTO rp_event_feed (relying_party_id, seq, event_id, kind, pseudonym, occurred_at)
    VALUES (rp, next_seq, evt, evt_kind, evt_pseudonym, evt_at);
    RETURN next_seq;
END;
$$;
