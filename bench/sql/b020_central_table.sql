-- The comparison design for benchmarks only (docs/decisions/performance.md, ./bench.sh compare): the straightforward
-- central-table way to verify a QR, with no grains. Every verification reads the citizen's row and credential from
-- these tables and inserts its history row in its own transaction (a unique nonce enforces single use). Applied only
-- by the benchmark host (bench/Baseline), after the production schema; filled from the grain state by
-- POST /baseline/v1/import, so both designs verify the same citizens. Idempotent: safe to run again.

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

-- The baseline carries the same statutory duty as the grains (sealed registrations for hotel check-ins and rail
-- boardings), so that the comparison in docs/decisions/performance.md is at equal work.
ALTER TABLE baseline_history ADD COLUMN IF NOT EXISTS sealed_registration bytea NULL;
