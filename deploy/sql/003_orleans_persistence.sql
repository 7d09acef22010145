-- =============================================================================
-- 003_orleans_persistence.sql
-- Grain state storage for Microsoft.Orleans.Persistence.AdoNet 10.4.x (Npgsql).
-- Requires 001_orleans_core.sql.  Requires PostgreSQL 15+ (UNIQUE NULLS NOT DISTINCT).
--
-- Contract with the provider (verified against the 10.4.2 assembly)
-- ----------------------------------------------------------------
-- * At silo start the provider reads the keys WriteToStorageKey,
--   ReadFromStorageKey and ClearStorageKey (all three mandatory) and
--   DeleteStorageKey (mandatory only when the option DeleteStateOnClear = true).
-- * Every statement receives the same identity parameters:
--     @GrainIdHash            int32   [integer]  hash of the grain key bytes
--     @GrainIdN0, @GrainIdN1  int64   [bigint]   Guid halves / (0, long key) / (0, 0) for string keys
--     @GrainTypeHash          int32   [integer]  hash of @GrainTypeString
--     @GrainTypeString        string  [text]     despite the name: the STATE NAME
--                                                ([PersistentState("name")], "state" for Grain<T>)
--     @GrainIdExtensionString string  [text]     key extension, or the whole key for
--                                                string-keyed grains; NULL when absent
--     @ServiceId              string  [text]     ClusterOptions.ServiceId
--   Write/Clear/Delete also receive
--     @GrainStateVersion      int32?  [integer]  the grain's ETag; NULL = never stored
--   and Write also receives
--     @PayloadBinary          byte[]  [bytea]    serializer output
-- * The payload ALWAYS travels as bytes: the provider serialises with the
--   configured IGrainStorageSerializer (default in Orleans 10: Newtonsoft JSON,
--   i.e. UTF-8 JSON text) and binds the bytes as @PayloadBinary.  On read it
--   takes the column named PayloadBinary and casts it to byte[], so that column
--   must be bytea (a json/jsonb/text column would fail the cast).  There are no
--   PayloadJson/PayloadXml parameters or columns in 10.x.
-- * Results, read by column name (case-insensitive):
--     ReadFromStorageKey -> 0 or 1 row: PayloadBinary (bytea, NULL after a
--                           clear), Version (int).  Two rows = exception.
--     WriteToStorageKey  -> 0 or 1 row: NewGrainStateVersion (int) on success;
--                           NULL (or no row) signals an ETag conflict.
--     ClearStorageKey /
--     DeleteStorageKey   -> 0 or 1 row; the FIRST column is taken as the new
--                           version.  It must be non-NULL and differ from the
--                           ETag sent, otherwise the provider raises
--                           InconsistentStateException.
-- * Optimistic concurrency: a stored row is changed only when its version
--   equals @GrainStateVersion; a NULL @GrainStateVersion means "create", which
--   succeeds only if no row exists yet.  Versions only need to differ from the
--   previous value, so they wrap from 2147483647 back to 1.
--
-- Identity caveat: since Orleans 7 the provider never sends the grain type.
-- The stored identity is (service id, state name, grain key), so two grain
-- classes that use the same key AND the same state name share one row
-- (dotnet/orleans#8746, #9737).  Nothing in SQL can tell them apart; give each
-- grain class's persistent state a distinct name.
--
-- Payload format: the bytes are stored untouched in a bytea column.  They are
-- not converted to jsonb on the way in because jsonb re-orders object keys, and
-- Newtonsoft's "$type" metadata must stay first for polymorphic state to
-- deserialise.  For querying, orleans_grain_state_json exposes the payload as
-- jsonb whenever it is valid UTF-8 JSON.
--
-- Idempotent: safe to run any number of times.
-- =============================================================================

-- -----------------------------------------------------------------------------
-- Table
-- -----------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    service_id      varchar(150) NOT NULL,
    grain_type_hash integer      NOT NULL,
    grain_type      varchar(512) NOT NULL,
    grain_id_hash   integer      NOT NULL,
    grain_id_n0     bigint       NOT NULL,
    grain_id_n1     bigint       NOT NULL,
    grain_key_ext   varchar(512) NULL,
    payload         bytea        NULL,
    version         integer      NOT NULL,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    modified_at     timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT orleans_grain_state_version_positive CHECK (version > 0)
);

-- Lookup key and uniqueness in one index: the two hashes and the service id
-- lead (they are what every statement filters on first), followed by the full
-- identity so that hash collisions can never merge two grains.  NULLS NOT
-- DISTINCT makes "no key extension" a single value, so a grain without an
-- extension can only have one row.
CREATE UNIQUE INDEX IF NOT EXISTS orleans_grain_state_identity_uq
    ON orleans_grain_state (grain_id_hash, grain_type_hash, service_id,
                            grain_id_n0, grain_id_n1, grain_type, grain_key_ext)
    NULLS NOT DISTINCT;

COMMENT ON TABLE orleans_grain_state IS
    'Orleans grain state (AdoNet grain storage). One row per service id + grain type + grain id.';
COMMENT ON COLUMN orleans_grain_state.grain_type IS
    'Value of @GrainTypeString: the grain state name (not the grain class) in Orleans 7+.';
COMMENT ON COLUMN orleans_grain_state.grain_key_ext IS
    'Key extension of Guid/long keyed grains, or the whole key of string keyed grains; NULL when none.';
COMMENT ON COLUMN orleans_grain_state.payload IS
    'Serializer output exactly as sent by Orleans (UTF-8 JSON by default); NULL after ClearState.';
COMMENT ON COLUMN orleans_grain_state.version IS
    'Optimistic-concurrency version, surfaced to Orleans as the grain state ETag.';

-- -----------------------------------------------------------------------------
-- JSON view for operators and reporting (not used by Orleans)
-- -----------------------------------------------------------------------------

-- Decodes a payload as jsonb; NULL when it is absent, not UTF-8, or not JSON
-- (e.g. when a binary serializer is configured).
CREATE OR REPLACE FUNCTION orleans_try_jsonb(p_payload bytea)
RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
AS $fn$
BEGIN
    IF p_payload IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN convert_from(p_payload, 'UTF8')::jsonb;
EXCEPTION
    WHEN others THEN
        RETURN NULL;
END
$fn$;

CREATE OR REPLACE VIEW orleans_grain_state_json AS
SELECT
    s.service_id,
    s.grain_type,
    s.grain_id_n0,
    s.grain_id_n1,
    s.grain_key_ext,
    s.version,
    s.modified_at,
    orleans_try_jsonb(s.payload) AS payload_json
FROM orleans_grain_state AS s;

COMMENT ON VIEW orleans_grain_state_json IS
    'Read-only convenience view: grain state payload decoded as jsonb (NULL if not JSON).';

-- -----------------------------------------------------------------------------
-- Provider statements
-- -----------------------------------------------------------------------------
-- Every statement selects the row by its full identity:
--   hashes + service id (index prefix), then the Guid/long halves, the grain
--   type string and the key extension compared NULL-safely.

INSERT INTO orleansquery (querykey, querytext)
VALUES
(
    'ReadFromStorageKey',
    $sql$
    SELECT
        s.payload AS "PayloadBinary",
        s.version AS "Version"
    FROM orleans_grain_state AS s
    WHERE s.grain_id_hash = @GrainIdHash
      AND s.grain_type_hash = @GrainTypeHash
      AND s.service_id = @ServiceId
      AND s.grain_id_n0 = @GrainIdN0
      AND s.grain_id_n1 = @GrainIdN1
      AND s.grain_type = @GrainTypeString
      AND s.grain_key_ext IS NOT DISTINCT FROM @GrainIdExtensionString
    $sql$
),
-- Either bumps an existing row whose version equals @GrainStateVersion, or,
-- when @GrainStateVersion is NULL, creates the row with version 1 unless one
-- already exists (ON CONFLICT against the identity index also settles racing
-- first writes).  Always returns one row; NULL means "version conflict".
(
    'WriteToStorageKey',
    $sql$
    WITH updated AS (
        UPDATE orleans_grain_state AS s
        SET payload = @PayloadBinary,
            version = CASE WHEN s.version >= 2147483647 THEN 1 ELSE s.version + 1 END,
            modified_at = now()
        WHERE @GrainStateVersion IS NOT NULL
          AND s.grain_id_hash = @GrainIdHash
          AND s.grain_type_hash = @GrainTypeHash
          AND s.service_id = @ServiceId
          AND s.grain_id_n0 = @GrainIdN0
          AND s.grain_id_n1 = @GrainIdN1
          AND s.grain_type = @GrainTypeString
          AND s.grain_key_ext IS NOT DISTINCT FROM @GrainIdExtensionString
          AND s.version = @GrainStateVersion
        RETURNING s.version
    ),
    inserted AS (
        INSERT INTO orleans_grain_state
            (service_id, grain_type_hash, grain_type, grain_id_hash,
             grain_id_n0, grain_id_n1, grain_key_ext, payload, version)
        SELECT
            @ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash,
            @GrainIdN0, @GrainIdN1, @GrainIdExtensionString, @PayloadBinary, 1
        WHERE @GrainStateVersion IS NULL
        ON CONFLICT DO NOTHING
        RETURNING version
    )
    SELECT (
        SELECT version FROM updated
        UNION ALL
        SELECT version FROM inserted
        LIMIT 1
    ) AS "NewGrainStateVersion"
    $sql$
),
-- Keeps the row but drops the payload and bumps the version, so a later
-- write with the returned ETag updates the same row.  Always one row; NULL
-- means "version conflict".
(
    'ClearStorageKey',
    $sql$
    WITH cleared AS (
        UPDATE orleans_grain_state AS s
        SET payload = NULL,
            version = CASE WHEN s.version >= 2147483647 THEN 1 ELSE s.version + 1 END,
            modified_at = now()
        WHERE s.grain_id_hash = @GrainIdHash
          AND s.grain_type_hash = @GrainTypeHash
          AND s.service_id = @ServiceId
          AND s.grain_id_n0 = @GrainIdN0
          AND s.grain_id_n1 = @GrainIdN1
          AND s.grain_type = @GrainTypeString
          AND s.grain_key_ext IS NOT DISTINCT FROM @GrainIdExtensionString
          AND s.version = @GrainStateVersion
        RETURNING s.version
    )
    SELECT (SELECT version FROM cleared) AS "NewGrainStateVersion"
    $sql$
),
-- Used instead of ClearStorageKey when DeleteStateOnClear = true: removes the
-- row.  Returns the would-be next version (only so the provider can tell
-- success from conflict; it then resets the ETag to null).  NULL = conflict.
(
    'DeleteStorageKey',
    $sql$
    WITH removed AS (
        DELETE FROM orleans_grain_state AS s
        WHERE s.grain_id_hash = @GrainIdHash
          AND s.grain_type_hash = @GrainTypeHash
          AND s.service_id = @ServiceId
          AND s.grain_id_n0 = @GrainIdN0
          AND s.grain_id_n1 = @GrainIdN1
          AND s.grain_type = @GrainTypeString
          AND s.grain_key_ext IS NOT DISTINCT FROM @GrainIdExtensionString
          AND s.version = @GrainStateVersion
        RETURNING s.version
    )
    SELECT (
        SELECT CASE WHEN version >= 2147483647 THEN 1 ELSE version + 1 END
        FROM removed
    ) AS "NewGrainStateVersion"
    $sql$
)
ON CONFLICT (querykey) DO UPDATE
    SET querytext  = EXCLUDED.querytext,
        updated_at = now()
    WHERE orleansquery.querytext IS DISTINCT FROM EXCLUDED.querytext;
