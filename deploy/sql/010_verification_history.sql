-- NationalId's own append-only verification history (not grain state). One row per verification attempt that
-- reached a citizen grain. Attribute values are never stored: only the names of what was disclosed.
-- The presentation nonce lets a reactivated citizen grain rebuild its single-use window (docs/protocol.md).
-- Idempotent: safe to run again.

CREATE TABLE IF NOT EXISTS verification_history
(
    verification_id      uuid        NOT NULL,
    recorded_at          timestamptz NOT NULL,
    citizen_handle       text        NOT NULL,
    credential_id        bytea       NULL,
    presentation_nonce   bytea       NULL,
    relying_party_id     text        NOT NULL,
    scope                text        NOT NULL,
    verified             boolean     NOT NULL,
    reason               text        NULL,
    assurance            smallint    NOT NULL,
    disclosed_attributes text[]      NOT NULL,
    rp_province          text        NOT NULL,
    cross_province       boolean     NOT NULL,
    CONSTRAINT verification_history_pk PRIMARY KEY (verification_id)
);

-- The citizen's own history and the replay window both read by handle, newest first.
CREATE INDEX IF NOT EXISTS verification_history_citizen_idx
    ON verification_history (citizen_handle, recorded_at DESC);

-- An RP reads its own log.
CREATE INDEX IF NOT EXISTS verification_history_rp_idx
    ON verification_history (relying_party_id, recorded_at DESC);
