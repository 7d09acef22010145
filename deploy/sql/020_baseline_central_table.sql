-- The comparison design for benchmarks only (docs/performance.md, ./bench.sh compare): the straightforward
-- central-table way to verify a QR, with no grains. Every verification reads the citizen's row and credential from
-- these tables and inserts its history row in its own transaction (a unique nonce enforces single use). The silo
-- serves it only with Baseline:Enabled=true. Tables are filled from the grain state by nid_baseline_import(),
-- so both designs verify the same citizens. Idempotent: safe to run again.

CREATE TABLE IF NOT EXISTS baseline_citizens
(
    citizen_handle   text    NOT NULL PRIMARY KEY,
    id_number        text    NOT NULL,
    name             text    NOT NULL,
    sex              text    NOT NULL,
    birth_date       text    NOT NULL,
    home_province    text    NOT NULL,
    pseudonym_secret bytea   NOT NULL,
    locked           boolean NOT NULL
);

CREATE TABLE IF NOT EXISTS baseline_credentials
(
    credential_id  bytea NOT NULL PRIMARY KEY,
    citizen_handle text  NOT NULL,
    public_key     bytea NOT NULL,
    status         text  NOT NULL,
    assurance      text  NOT NULL
);

CREATE TABLE IF NOT EXISTS baseline_history
(
    event_id             uuid        NOT NULL PRIMARY KEY,
    recorded_at          timestamptz NOT NULL,
    citizen_handle       text        NOT NULL,
    relying_party_id     text        NOT NULL,
    scope                text        NOT NULL,
    verified             boolean     NOT NULL,
    reason               text        NULL,
    presentation_nonce   bytea       NULL UNIQUE,
    disclosed_attributes text[]      NOT NULL
);

-- Copies citizens and credentials from the grains' stored state (JSON written by GrainStateJsonSerializer).
CREATE OR REPLACE FUNCTION nid_baseline_import()
    RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    copied integer;
BEGIN
    TRUNCATE baseline_citizens, baseline_credentials;
    INSERT INTO baseline_citizens
    SELECT g.grain_key_ext, s ->> 'IdNumber', s ->> 'Name', s ->> 'Sex', s ->> 'BirthDate', s ->> 'HomeProvince',
           decode(s ->> 'PseudonymSecret', 'base64'), coalesce((s ->> 'Locked')::boolean, false)
    FROM orleans_grain_state g, LATERAL (SELECT convert_from(g.payload, 'UTF8')::jsonb AS s) j
    WHERE g.grain_type = 'citizen' AND (s ->> 'Enrolled')::boolean;
    GET DIAGNOSTICS copied = ROW_COUNT;

    INSERT INTO baseline_credentials
    SELECT decode(c ->> 'CredentialId', 'base64'), g.grain_key_ext, decode(c ->> 'PublicKey', 'base64'), c ->> 'Status', c ->> 'Assurance'
    FROM orleans_grain_state g,
         LATERAL (SELECT convert_from(g.payload, 'UTF8')::jsonb AS s) j,
         LATERAL jsonb_array_elements(s -> 'Credentials') c
    WHERE g.grain_type = 'citizen';
    RETURN copied;
END;
$$;
