-- =============================================================================
-- 001_orleans_core.sql
-- Shared catalogue for the Orleans ADO.NET providers (Orleans 10.4.x, Npgsql).
--
-- How the providers use the database
-- ----------------------------------
-- Neither Microsoft.Orleans.Clustering.AdoNet nor Microsoft.Orleans.Persistence.AdoNet
-- contains any SQL of its own.  At start-up each one runs the fixed statement
--
--     SELECT QueryKey, QueryText FROM OrleansQuery [WHERE QueryKey = ...]
--
-- and from then on executes only the texts it found there, binding named
-- parameters (@DeploymentId, @GrainIdHash, ...) and reading result columns by
-- name.  Everything Orleans does against PostgreSQL is therefore defined by the
-- rows of this one table; 002 and 003 register their statements here.
--
-- Naming constraints imposed by that fixed statement
--   * It is written without double quotes, so PostgreSQL folds it to
--     orleansquery(querykey, querytext).  The table must be created with
--     unquoted (lower-case) identifiers: a quoted "OrleansQuery" would NOT be
--     found.
--   * It is not schema-qualified: the table must live in a schema on the
--     search_path of the connection Orleans uses (normally "public").
--   * The key values are compared case-sensitively in .NET, so they must be
--     spelled exactly as the providers expect (e.g. 'UpdateIAmAlivetimeKey',
--     with a lower-case "t").
--
-- This file is idempotent and contains plain SQL only (no psql meta-commands,
-- no BEGIN/COMMIT), so it can be run by psql or by the application's
-- migration runner inside the runner's own transaction.
-- =============================================================================

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey   varchar(64) NOT NULL,
    querytext  text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleansquery_pkey PRIMARY KEY (querykey),
    CONSTRAINT orleansquery_key_not_blank CHECK (btrim(querykey) <> ''),
    CONSTRAINT orleansquery_text_not_blank CHECK (btrim(querytext) <> '')
);

-- Tolerate a catalogue created earlier by another script without this column.
ALTER TABLE orleansquery
    ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now();

COMMENT ON TABLE orleansquery IS
    'Statements executed by the Orleans ADO.NET providers, looked up by key at silo/client start-up. '
    'Name and columns are fixed by the provider (SELECT QueryKey, QueryText FROM OrleansQuery). '
    'Changes take effect when a silo/client restarts.';
COMMENT ON COLUMN orleansquery.querykey IS
    'Provider-defined key, matched case-sensitively by .NET (e.g. MembershipReadAllKey, WriteToStorageKey).';
COMMENT ON COLUMN orleansquery.querytext IS
    'SQL executed by Npgsql with @Name placeholders bound from provider-supplied parameters.';
COMMENT ON COLUMN orleansquery.updated_at IS
    'When this row''s text last changed (maintained by the deployment scripts).';
