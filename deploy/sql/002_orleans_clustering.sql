-- =============================================================================
-- 002_orleans_clustering.sql
-- Cluster membership for Microsoft.Orleans.Clustering.AdoNet 10.4.x (Npgsql).
-- Requires 001_orleans_core.sql.
--
-- Contract with the provider (verified against the 10.4.2 assembly)
-- ----------------------------------------------------------------
-- * Silos and clients load every row of orleansquery and refuse to start
--   unless these nine keys exist:
--     GatewaysQueryKey, MembershipReadRowKey, MembershipReadAllKey,
--     InsertMembershipVersionKey, UpdateIAmAlivetimeKey, InsertMembershipKey,
--     UpdateMembershipKey, DeleteMembershipTableEntriesKey,
--     CleanupDefunctSiloEntriesKey
--   A tenth key, CleanupDefunctSiloEntryKey, is optional; when present the
--   provider uses it (one DELETE per dead silo it has vetted in .NET) instead
--   of the bulk CleanupDefunctSiloEntriesKey.  Both are registered below.
-- * Parameters arrive with these .NET types (Npgsql mapping in brackets):
--     DeploymentId, SiloName, HostName, SuspectTimes ...... string   [text]
--     Address (IP address as text, e.g. '10.0.0.5') ........ string   [text]
--     Port, Generation, ProxyPort, Status, Version ......... int32    [integer]
--     StartTime, IAmAliveTime .............................. DateTime [timestamptz]
--   DbType.DateTime maps to timestamptz in Npgsql 6+, and Orleans sends UTC
--   values, so every time column here is timestamptz.  A plain "timestamp"
--   column would be silently shifted by the session TimeZone on write and the
--   exact-match cleanup below would stop matching.
-- * Status is the SiloStatus enum: 0 None, 1 Created, 2 Joining, 3 Active,
--   4 ShuttingDown, 5 Stopping, 6 Dead.
-- * Table version (ETag): every read returns the deployment's current version
--   in a "Version" column on every row (the first row's value is used).  The
--   insert/update statements receive the version the silo read in @Version,
--   must apply their change only if the stored version still equals it, and
--   must then increment it - all atomically - returning ONE row with ONE
--   boolean column (true = applied).  Returning no row makes the provider
--   throw.
-- * Reads must return at least one row (the version row) for an initialised
--   deployment: member columns are NULL when there is no member, and the
--   provider treats a NULL StartTime as "no member on this row".
-- * Result columns are located by name, case-insensitively; they are aliased
--   to the provider's spelling anyway.  Address must come back as text (not
--   inet) and integer columns as int4/int8.
--
-- Idempotent: safe to run any number of times.
-- =============================================================================

-- -----------------------------------------------------------------------------
-- Tables
-- -----------------------------------------------------------------------------

-- One row per cluster (Orleans ClusterId, called DeploymentId by the provider):
-- the optimistic-concurrency counter for that cluster's membership table.
CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deployment_id varchar(150) NOT NULL,
    version       integer      NOT NULL DEFAULT 0,
    changed_at    timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT orleans_membership_version_pkey PRIMARY KEY (deployment_id),
    CONSTRAINT orleans_membership_version_not_negative CHECK (version >= 0)
);

-- One row per silo incarnation (address + port + generation) in a cluster.
CREATE TABLE IF NOT EXISTS orleans_membership
(
    deployment_id   varchar(150) NOT NULL,
    address         varchar(64)  NOT NULL,
    port            integer      NOT NULL,
    generation      integer      NOT NULL,
    silo_name       text         NOT NULL,
    host_name       text         NOT NULL,
    status          integer      NOT NULL,
    proxy_port      integer      NOT NULL DEFAULT 0,
    suspect_times   text         NULL,
    start_time      timestamptz  NOT NULL,
    i_am_alive_time timestamptz  NOT NULL,
    CONSTRAINT orleans_membership_pkey
        PRIMARY KEY (deployment_id, address, port, generation),
    CONSTRAINT orleans_membership_version_fkey
        FOREIGN KEY (deployment_id)
        REFERENCES orleans_membership_version (deployment_id)
        ON DELETE CASCADE
);

COMMENT ON TABLE orleans_membership_version IS
    'Orleans membership table version (ETag) per cluster id; bumped by every membership insert/update.';
COMMENT ON TABLE orleans_membership IS
    'Orleans cluster membership: one row per silo incarnation. Written only through the orleansquery statements.';
COMMENT ON COLUMN orleans_membership.suspect_times IS
    'Orleans-formatted suspicion votes: "ip:port@generation,yyyy-MM-dd HH:mm:ss.fff GMT" joined with "|".';

-- -----------------------------------------------------------------------------
-- Helper functions
-- -----------------------------------------------------------------------------

-- Conditionally adds a silo row.  Succeeds only when the cluster's version row
-- still holds p_expected_version and the silo row does not exist yet; in that
-- case the version is incremented in the same transaction.
--
-- The version row is locked first (SELECT ... FOR UPDATE).  Under READ
-- COMMITTED a concurrent writer that got there first makes the re-checked
-- "version = p_expected_version" predicate fail, so at most one of several
-- racing writers holding the same ETag can succeed.
CREATE OR REPLACE FUNCTION orleans_membership_try_insert(
    p_deployment_id    text,
    p_address          text,
    p_port             integer,
    p_generation       integer,
    p_silo_name        text,
    p_host_name        text,
    p_status           integer,
    p_proxy_port       integer,
    p_start_time       timestamptz,
    p_i_am_alive_time  timestamptz,
    p_expected_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $fn$
BEGIN
    PERFORM 1
    FROM orleans_membership_version
    WHERE deployment_id = p_deployment_id
      AND version = p_expected_version
      AND version < 2147483647
    FOR UPDATE;

    IF NOT FOUND THEN
        RETURN false;          -- stale ETag, overflow guard, or unknown cluster
    END IF;

    INSERT INTO orleans_membership
        (deployment_id, address, port, generation, silo_name, host_name,
         status, proxy_port, suspect_times, start_time, i_am_alive_time)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
         p_status, COALESCE(p_proxy_port, 0), NULL, p_start_time, p_i_am_alive_time)
    ON CONFLICT ON CONSTRAINT orleans_membership_pkey DO NOTHING;

    IF NOT FOUND THEN
        RETURN false;          -- silo row already present; version left untouched
    END IF;

    UPDATE orleans_membership_version
    SET version = version + 1,
        changed_at = now()
    WHERE deployment_id = p_deployment_id;

    RETURN true;
END
$fn$;

-- Conditionally rewrites a silo row's status, suspicion list and heartbeat,
-- with the same lock-then-check ETag discipline as orleans_membership_try_insert.
-- The heartbeat never moves backwards (a concurrent UpdateIAmAlive may already
-- have stored a later time).
CREATE OR REPLACE FUNCTION orleans_membership_try_update(
    p_deployment_id    text,
    p_address          text,
    p_port             integer,
    p_generation       integer,
    p_status           integer,
    p_suspect_times    text,
    p_i_am_alive_time  timestamptz,
    p_expected_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $fn$
BEGIN
    PERFORM 1
    FROM orleans_membership_version
    WHERE deployment_id = p_deployment_id
      AND version = p_expected_version
      AND version < 2147483647
    FOR UPDATE;

    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership
    SET status = p_status,
        suspect_times = p_suspect_times,
        i_am_alive_time = GREATEST(i_am_alive_time, p_i_am_alive_time)
    WHERE deployment_id = p_deployment_id
      AND address = p_address
      AND port = p_port
      AND generation = p_generation;

    IF NOT FOUND THEN
        RETURN false;          -- no such silo row; version left untouched
    END IF;

    UPDATE orleans_membership_version
    SET version = version + 1,
        changed_at = now()
    WHERE deployment_id = p_deployment_id;

    RETURN true;
END
$fn$;

-- Latest suspicion vote in an Orleans suspect_times string, or NULL when there
-- are none.  Anything that does not parse yields 'infinity' so that callers
-- treat the row as recently active and keep it.
CREATE OR REPLACE FUNCTION orleans_membership_last_suspicion(p_suspect_times text)
RETURNS timestamptz
LANGUAGE plpgsql
STABLE
AS $fn$
DECLARE
    latest timestamptz;
BEGIN
    IF p_suspect_times IS NULL OR btrim(p_suspect_times) = '' THEN
        RETURN NULL;
    END IF;

    -- Each vote is "<silo address>,<yyyy-MM-dd HH:mm:ss.fff GMT>"; the address
    -- part never contains a comma, and PostgreSQL accepts the "GMT" suffix.
    SELECT max(split_part(vote, ',', 2)::timestamptz)
    INTO latest
    FROM unnest(string_to_array(p_suspect_times, '|')) AS vote
    WHERE btrim(vote) <> '';

    RETURN latest;
EXCEPTION
    WHEN others THEN
        RETURN 'infinity'::timestamptz;
END
$fn$;

-- -----------------------------------------------------------------------------
-- Provider statements
-- -----------------------------------------------------------------------------
-- Parameter names after "@" must match the provider's exactly (case aside).
-- Npgsql leaves an unmatched "@Name" in the SQL untouched, and PostgreSQL then
-- reads "@" as its absolute-value operator, so a misspelt placeholder can turn
-- into abs(<column>) instead of failing.

INSERT INTO orleansquery (querykey, querytext)
VALUES
-- Creates the cluster's version row if missing.  In: @DeploymentId.
-- Out: one row, one boolean (true = created now).
(
    'InsertMembershipVersionKey',
    $sql$
    WITH created AS (
        INSERT INTO orleans_membership_version (deployment_id, version, changed_at)
        VALUES (@DeploymentId, 0, now())
        ON CONFLICT ON CONSTRAINT orleans_membership_version_pkey DO NOTHING
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM created) AS "Created"
    $sql$
),
-- Adds a silo row if the table version still matches.
-- In: @DeploymentId @Address @Port @Generation @SiloName @HostName @Status
--     @ProxyPort @StartTime @IAmAliveTime @Version.
-- Out: one row, one boolean.
(
    'InsertMembershipKey',
    $sql$
    SELECT orleans_membership_try_insert(
        @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS "Inserted"
    $sql$
),
-- Updates a silo row if the table version still matches.
-- In: @DeploymentId @Address @Port @Generation @Status @SuspectTimes
--     @IAmAliveTime @Version.
-- Out: one row, one boolean.
(
    'UpdateMembershipKey',
    $sql$
    SELECT orleans_membership_try_update(
        @DeploymentId, @Address, @Port, @Generation,
        @Status, @SuspectTimes, @IAmAliveTime, @Version) AS "Updated"
    $sql$
),
-- Heartbeat; deliberately does not touch the table version.
-- In: @DeploymentId @Address @Port @Generation @IAmAliveTime.  Out: nothing.
(
    'UpdateIAmAlivetimeKey',
    $sql$
    UPDATE orleans_membership
    SET i_am_alive_time = GREATEST(i_am_alive_time, @IAmAliveTime)
    WHERE deployment_id = @DeploymentId
      AND address = @Address
      AND port = @Port
      AND generation = @Generation
    $sql$
),
-- One silo plus the table version.  In: @DeploymentId @Address @Port @Generation.
-- Out: exactly one row while the cluster exists (member columns NULL if absent).
(
    'MembershipReadRowKey',
    $sql$
    SELECT
        v.deployment_id   AS "DeploymentId",
        m.address         AS "Address",
        m.port            AS "Port",
        m.generation      AS "Generation",
        m.silo_name       AS "SiloName",
        m.host_name       AS "HostName",
        m.status          AS "Status",
        m.proxy_port      AS "ProxyPort",
        m.suspect_times   AS "SuspectTimes",
        m.start_time      AS "StartTime",
        m.i_am_alive_time AS "IAmAliveTime",
        v.version         AS "Version"
    FROM orleans_membership_version AS v
    LEFT JOIN orleans_membership AS m
           ON m.deployment_id = v.deployment_id
          AND m.address = @Address
          AND m.port = @Port
          AND m.generation = @Generation
    WHERE v.deployment_id = @DeploymentId
    $sql$
),
-- Every silo plus the table version.  In: @DeploymentId.
-- Out: one row per silo, or a single version-only row when there are none.
(
    'MembershipReadAllKey',
    $sql$
    SELECT
        v.deployment_id   AS "DeploymentId",
        m.address         AS "Address",
        m.port            AS "Port",
        m.generation      AS "Generation",
        m.silo_name       AS "SiloName",
        m.host_name       AS "HostName",
        m.status          AS "Status",
        m.proxy_port      AS "ProxyPort",
        m.suspect_times   AS "SuspectTimes",
        m.start_time      AS "StartTime",
        m.i_am_alive_time AS "IAmAliveTime",
        v.version         AS "Version"
    FROM orleans_membership_version AS v
    LEFT JOIN orleans_membership AS m
           ON m.deployment_id = v.deployment_id
    WHERE v.deployment_id = @DeploymentId
    ORDER BY m.start_time, m.address, m.port, m.generation
    $sql$
),
-- Gateways for clients.  In: @DeploymentId @Status (the provider passes 3 = Active).
-- Out: Address, ProxyPort, Generation per gateway silo.
(
    'GatewaysQueryKey',
    $sql$
    SELECT
        m.address    AS "Address",
        m.proxy_port AS "ProxyPort",
        m.generation AS "Generation"
    FROM orleans_membership AS m
    WHERE m.deployment_id = @DeploymentId
      AND m.status = @Status
      AND m.proxy_port > 0
    $sql$
),
-- Drops a whole cluster: the version row, and its silo rows via ON DELETE CASCADE.
-- In: @DeploymentId.  Out: nothing.
(
    'DeleteMembershipTableEntriesKey',
    $sql$
    DELETE FROM orleans_membership_version
    WHERE deployment_id = @DeploymentId
    $sql$
),
-- Bulk pruning of dead silos, used only when CleanupDefunctSiloEntryKey is
-- absent.  Mirrors the provider's own eligibility rule: Dead, and started,
-- last heartbeat and every suspicion vote all before the cutoff.
-- In: @DeploymentId @IAmAliveTime (the cutoff).  Out: nothing.
(
    'CleanupDefunctSiloEntriesKey',
    $sql$
    DELETE FROM orleans_membership AS m
    WHERE m.deployment_id = @DeploymentId
      AND m.status = 6
      AND m.start_time < @IAmAliveTime
      AND m.i_am_alive_time < @IAmAliveTime
      AND COALESCE(orleans_membership_last_suspicion(m.suspect_times), '-infinity'::timestamptz) < @IAmAliveTime
    $sql$
),
-- Deletes one dead silo row the provider judged eligible from a ReadAll, but
-- only if it is still exactly as read (values compared as captured).
-- In: @DeploymentId @Address @Port @Generation @SuspectTimes @StartTime @IAmAliveTime.
-- Out: nothing.
(
    'CleanupDefunctSiloEntryKey',
    $sql$
    DELETE FROM orleans_membership AS m
    WHERE m.deployment_id = @DeploymentId
      AND m.address = @Address
      AND m.port = @Port
      AND m.generation = @Generation
      AND m.status = 6
      AND m.start_time = @StartTime
      AND m.i_am_alive_time = @IAmAliveTime
      AND COALESCE(m.suspect_times, '') = COALESCE(@SuspectTimes, '')
    $sql$
)
ON CONFLICT (querykey) DO UPDATE
    SET querytext  = EXCLUDED.querytext,
        updated_at = now()
    WHERE orleansquery.querytext IS DISTINCT FROM EXCLUDED.querytext;
