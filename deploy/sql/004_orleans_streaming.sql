-- =============================================================================
-- 004_orleans_streaming.sql
-- Persistent stream queues for Microsoft.Orleans.Streaming.AdoNet
-- 10.4.2-alpha.1 (invariant "Npgsql").  Requires 001_orleans_core.sql.
--
-- Contract with the provider (verified against the 10.4.2-alpha.1 assembly)
-- ------------------------------------------------------------------------
-- * The provider reads the same catalogue as clustering and persistence
--   (SELECT QueryKey, QueryText FROM OrleansQuery, every row) the first time
--   a silo or client builds the queue adapter, and refuses to start unless all
--   six of these keys are present:
--     QueueStreamMessageKey, GetStreamMessagesKey, ConfirmStreamMessagesKey,
--     FailStreamMessageKey, EvictStreamMessagesKey, EvictStreamDeadLettersKey
--   Only the first four are ever executed by 10.4.2: eviction is expected to
--   happen inside GetStreamMessagesKey (see below).  The two Evict keys are
--   still registered, fully working, for the start-up check and for operators.
-- * Identity of a queue: (@ServiceId, @ProviderId, @QueueId), all strings.
--     ServiceId  = ClusterOptions.ServiceId
--     ProviderId = the stream provider name as registered (case kept)
--     QueueId    = Orleans QueueId.ToString(): lower-cased provider name, "-",
--                  queue number, e.g. 'verifications-0'.  The number of queues
--                  comes from ConfigurePartitioning(n) (the provider's default
--                  is ONE queue per provider).
-- * Parameter types as Npgsql binds them: strings -> text, int32 -> integer,
--   int64 -> bigint, byte[] -> bytea.  Every timeout/interval arrives as an
--   int32 number of SECONDS (the option TimeSpan rounded up).
-- * Result columns are read by name, and converted with plain unboxing casts
--   ((long), (int), (DateTime), (byte[]), (string)), so the returned TYPES
--   matter as much as the names: MessageId must be bigint, Dequeued integer
--   (not smallint/numeric), times timestamptz (or timestamp), Payload bytea.
-- * Delivery model (at least once):
--     enqueue  -> row with dequeued = 0, visible now, expires after
--                 @ExpiryTimeout seconds.
--     dequeue  -> up to @MaxCount visible, unexpired rows with
--                 dequeued < @MaxAttempts, oldest message id first; each is
--                 stamped dequeued + 1 and hidden for @VisibilityTimeout
--                 seconds.  The new dequeued value is the message's RECEIPT.
--     confirm  -> @Items = 'id:receipt|id:receipt|...'.  A positive receipt
--                 deletes the row if its dequeued still equals the receipt
--                 (a message re-dequeued elsewhere in the meantime is NOT
--                 deleted).  A NEGATIVE receipt (the receiver's shutdown
--                 "release" of unconfirmed rows, sent through the same key)
--                 makes the row visible again at once, under the same
--                 receipt check.  A release keeps the attempt counted, so
--                 receipts only ever grow and can never be reissued.
--                 Returns one row per message acted on.
--     fail     -> the delivery failure handler: back to visible now if
--                 attempts remain, otherwise straight to dead letters.
--     evict    -> rows that are past their visibility timeout AND either
--                 exhausted (dequeued >= @MaxAttempts) or expired move to
--                 the dead-letter table, which keeps them for
--                 @RemovalTimeout seconds; expired dead letters are deleted.
--                 Runs at most once per @EvictionInterval per queue,
--                 cluster-wide, piggy-backed on a dequeue.
-- * All times are taken from the database clock (now()), never the silo's.
--
-- Concurrency
--   Normally one pulling agent owns a queue, but ownership moves between silos
--   and two can overlap during a hand-off.  Claiming, evicting and scheduling
--   use FOR UPDATE SKIP LOCKED so pollers never wait on each other and never
--   claim the same row twice; confirm/release lock their rows in message-id
--   order (waiting, not skipping, so that a receipt is judged on the row's
--   final state) which rules out deadlocks between them.
--
-- Ordering
--   Message ids come from an identity column with CACHE 1, so ids follow
--   insertion order across all connections, and every dequeue is ordered by
--   id.  A producer that awaits each OnNextAsync therefore sees its events
--   delivered in order.  Events that are retried after a visibility timeout,
--   or released during a hand-off, are delivered again after later ones.
--   Do NOT raise the identity CACHE: with per-connection caches, ids stop
--   following insertion order and a stream can be delivered out of order.
--
-- Housekeeping caveat
--   Eviction only runs while some silo polls that very queue.  Rows of queues
--   nobody polls any more (the provider was renamed or removed, or the
--   partition count changed so that queue ids moved) are never evicted;
--   orleans_stream_queue_stats shows them.
--
-- Idempotent: safe to run any number of times.  Plain SQL only (no psql
-- meta-commands, no BEGIN/COMMIT).
-- =============================================================================

-- -----------------------------------------------------------------------------
-- Tables
-- -----------------------------------------------------------------------------

-- Messages waiting for delivery, or delivered and not yet confirmed.
CREATE TABLE IF NOT EXISTS orleans_stream_message
(
    service_id  varchar(150) NOT NULL,
    provider_id varchar(150) NOT NULL,
    queue_id    varchar(200) NOT NULL,
    message_id  bigint       GENERATED ALWAYS AS IDENTITY (CACHE 1),
    dequeued    integer      NOT NULL DEFAULT 0,
    visible_on  timestamptz  NOT NULL,
    expires_on  timestamptz  NOT NULL,
    created_on  timestamptz  NOT NULL,
    modified_on timestamptz  NOT NULL,
    payload     bytea        NOT NULL,
    -- Queue prefix first, then id: serves the ordered "next batch" scan.
    CONSTRAINT orleans_stream_message_pkey
        PRIMARY KEY (service_id, provider_id, queue_id, message_id),
    CONSTRAINT orleans_stream_message_dequeued_not_negative CHECK (dequeued >= 0)
);

-- Keep ids in insertion order even if the table was created differently.
ALTER TABLE orleans_stream_message ALTER COLUMN message_id SET CACHE 1;

-- A queue table is updated (dequeue) and deleted from (confirm) constantly:
-- leave room on each page for HOT updates (no indexed column changes on a
-- dequeue) and vacuum well before the default 20% of dead rows.
ALTER TABLE orleans_stream_message SET
(
    fillfactor = 85,
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.05
);

-- Messages that failed or expired, kept for inspection until remove_on.
CREATE TABLE IF NOT EXISTS orleans_stream_dead_letter
(
    service_id  varchar(150) NOT NULL,
    provider_id varchar(150) NOT NULL,
    queue_id    varchar(200) NOT NULL,
    message_id  bigint       NOT NULL,
    dequeued    integer      NOT NULL,
    visible_on  timestamptz  NOT NULL,
    expires_on  timestamptz  NOT NULL,
    created_on  timestamptz  NOT NULL,
    modified_on timestamptz  NOT NULL,
    dead_on     timestamptz  NOT NULL,
    remove_on   timestamptz  NOT NULL,
    payload     bytea        NOT NULL,
    CONSTRAINT orleans_stream_dead_letter_pkey
        PRIMARY KEY (service_id, provider_id, queue_id, message_id)
);

CREATE INDEX IF NOT EXISTS orleans_stream_dead_letter_remove_on_idx
    ON orleans_stream_dead_letter (service_id, provider_id, queue_id, remove_on);

-- When each queue is next due for eviction (one row per queue, cluster-wide).
CREATE TABLE IF NOT EXISTS orleans_stream_eviction_schedule
(
    service_id  varchar(150) NOT NULL,
    provider_id varchar(150) NOT NULL,
    queue_id    varchar(200) NOT NULL,
    evict_on    timestamptz  NOT NULL,
    CONSTRAINT orleans_stream_eviction_schedule_pkey
        PRIMARY KEY (service_id, provider_id, queue_id)
);

COMMENT ON TABLE orleans_stream_message IS
    'Orleans ADO.NET stream queues: messages awaiting delivery or confirmation. Written only through the orleansquery statements.';
COMMENT ON COLUMN orleans_stream_message.queue_id IS
    'Orleans queue id: lower-cased stream provider name, "-", queue number (e.g. verifications-0).';
COMMENT ON COLUMN orleans_stream_message.message_id IS
    'Delivery order within a queue. Identity with CACHE 1 so ids follow insertion order; do not raise the cache.';
COMMENT ON COLUMN orleans_stream_message.dequeued IS
    'Delivery attempts so far. Also the receipt a receiver must present to confirm or release the message.';
COMMENT ON COLUMN orleans_stream_message.visible_on IS
    'The message can be dequeued from this time on (pushed forward by each dequeue for the visibility timeout).';
COMMENT ON COLUMN orleans_stream_message.expires_on IS
    'After this time the message is no longer delivered and is moved to dead letters at the next eviction.';
COMMENT ON COLUMN orleans_stream_message.payload IS
    'Orleans-serialized batch container (binary, not JSON).';
COMMENT ON TABLE orleans_stream_dead_letter IS
    'Orleans ADO.NET stream messages that exhausted their attempts or expired; deleted after remove_on.';
COMMENT ON TABLE orleans_stream_eviction_schedule IS
    'Per-queue eviction timer shared by all silos (AdoNetStreamOptions.EvictionInterval).';

-- -----------------------------------------------------------------------------
-- Functions
-- -----------------------------------------------------------------------------
-- Parameters are prefixed p_ so that they can never be confused with columns.

-- Moves up to p_max_count finished messages of one queue to dead letters:
-- those past their visibility timeout that are exhausted or expired.
-- Rows locked by someone else are skipped (they are in use).  Returns the
-- number of messages moved.
CREATE OR REPLACE FUNCTION orleans_stream_evict_messages(
    p_service_id      text,
    p_provider_id     text,
    p_queue_id        text,
    p_max_count       integer,
    p_max_attempts    integer,
    p_removal_timeout integer)
RETURNS integer
LANGUAGE sql
AS $fn$
    WITH doomed AS (
        SELECT m.message_id
        FROM orleans_stream_message AS m
        WHERE m.service_id = p_service_id
          AND m.provider_id = p_provider_id
          AND m.queue_id = p_queue_id
          AND m.visible_on <= now()
          AND (m.dequeued >= p_max_attempts OR m.expires_on <= now())
        ORDER BY m.message_id
        LIMIT GREATEST(COALESCE(p_max_count, 0), 0)
        FOR UPDATE SKIP LOCKED
    ),
    moved AS (
        DELETE FROM orleans_stream_message AS m
        USING doomed AS d
        WHERE m.service_id = p_service_id
          AND m.provider_id = p_provider_id
          AND m.queue_id = p_queue_id
          AND m.message_id = d.message_id
        RETURNING m.service_id, m.provider_id, m.queue_id, m.message_id, m.dequeued,
                  m.visible_on, m.expires_on, m.created_on, m.modified_on, m.payload
    ),
    buried AS (
        INSERT INTO orleans_stream_dead_letter
            (service_id, provider_id, queue_id, message_id, dequeued,
             visible_on, expires_on, created_on, modified_on,
             dead_on, remove_on, payload)
        SELECT service_id, provider_id, queue_id, message_id, dequeued,
               visible_on, expires_on, created_on, modified_on,
               now(), now() + GREATEST(COALESCE(p_removal_timeout, 0), 0) * interval '1 second',
               payload
        FROM moved
        -- Only possible if the identity was reset: keep the newer message.
        ON CONFLICT ON CONSTRAINT orleans_stream_dead_letter_pkey DO UPDATE
            SET dequeued = EXCLUDED.dequeued,
                visible_on = EXCLUDED.visible_on,
                expires_on = EXCLUDED.expires_on,
                created_on = EXCLUDED.created_on,
                modified_on = EXCLUDED.modified_on,
                dead_on = EXCLUDED.dead_on,
                remove_on = EXCLUDED.remove_on,
                payload = EXCLUDED.payload
        RETURNING 1
    )
    SELECT count(*)::integer FROM buried
$fn$;

-- Deletes up to p_max_count dead letters of one queue whose retention is over.
-- Returns the number deleted.
CREATE OR REPLACE FUNCTION orleans_stream_evict_dead_letters(
    p_service_id  text,
    p_provider_id text,
    p_queue_id    text,
    p_max_count   integer)
RETURNS integer
LANGUAGE sql
AS $fn$
    WITH doomed AS (
        SELECT d.message_id
        FROM orleans_stream_dead_letter AS d
        WHERE d.service_id = p_service_id
          AND d.provider_id = p_provider_id
          AND d.queue_id = p_queue_id
          AND d.remove_on <= now()
        ORDER BY d.remove_on, d.message_id
        LIMIT GREATEST(COALESCE(p_max_count, 0), 0)
        FOR UPDATE SKIP LOCKED
    ),
    gone AS (
        DELETE FROM orleans_stream_dead_letter AS d
        USING doomed AS x
        WHERE d.service_id = p_service_id
          AND d.provider_id = p_provider_id
          AND d.queue_id = p_queue_id
          AND d.message_id = x.message_id
        RETURNING 1
    )
    SELECT count(*)::integer FROM gone
$fn$;

-- The poll.  First, if this queue's eviction is due and no other silo is
-- running it right now, advances the shared timer and evicts; then claims up
-- to p_max_count deliverable messages (oldest first, skipping rows locked by
-- a concurrent poll), counts the attempt and hides them for the visibility
-- timeout.  Returns the claimed rows with their new dequeued value (receipt).
CREATE OR REPLACE FUNCTION orleans_stream_dequeue(
    p_service_id         text,
    p_provider_id        text,
    p_queue_id           text,
    p_max_count          integer,
    p_max_attempts       integer,
    p_visibility_timeout integer,
    p_removal_timeout    integer,
    p_eviction_interval  integer,
    p_eviction_batch     integer)
RETURNS SETOF orleans_stream_message
LANGUAGE plpgsql
AS $fn$
DECLARE
    v_now        timestamptz := now();
    v_next_evict timestamptz := now()
        + GREATEST(COALESCE(p_eviction_interval, 0), 0) * interval '1 second';
    v_evict      boolean := false;
BEGIN
    -- Win this queue's eviction turn, or skip it without waiting.
    UPDATE orleans_stream_eviction_schedule AS s
    SET evict_on = v_next_evict
    WHERE (s.service_id, s.provider_id, s.queue_id) IN (
        SELECT c.service_id, c.provider_id, c.queue_id
        FROM orleans_stream_eviction_schedule AS c
        WHERE c.service_id = p_service_id
          AND c.provider_id = p_provider_id
          AND c.queue_id = p_queue_id
          AND c.evict_on <= v_now
        FOR UPDATE SKIP LOCKED);
    v_evict := FOUND;

    -- First poll of this queue ever: create its timer and evict now.  A plain
    -- INSERT ... ON CONFLICT would wait for another poller's uncommitted
    -- insert of the same row; the try-lock makes the loser skip instead (a
    -- hash collision with another queue only postpones eviction one poll).
    IF NOT v_evict
       AND NOT EXISTS (
           SELECT 1 FROM orleans_stream_eviction_schedule AS c
           WHERE c.service_id = p_service_id
             AND c.provider_id = p_provider_id
             AND c.queue_id = p_queue_id)
       AND pg_try_advisory_xact_lock(
           hashtext('orleans_stream_eviction_schedule'),
           hashtext(p_service_id || '/' || p_provider_id || '/' || p_queue_id))
    THEN
        INSERT INTO orleans_stream_eviction_schedule (service_id, provider_id, queue_id, evict_on)
        VALUES (p_service_id, p_provider_id, p_queue_id, v_next_evict)
        ON CONFLICT ON CONSTRAINT orleans_stream_eviction_schedule_pkey DO NOTHING;
        v_evict := FOUND;
    END IF;

    IF v_evict AND COALESCE(p_eviction_batch, 0) > 0 THEN
        PERFORM orleans_stream_evict_messages(p_service_id, p_provider_id, p_queue_id,
                                              p_eviction_batch, p_max_attempts, p_removal_timeout);
        PERFORM orleans_stream_evict_dead_letters(p_service_id, p_provider_id, p_queue_id,
                                                  p_eviction_batch);
    END IF;

    RETURN QUERY
    WITH picked AS (
        SELECT m.message_id
        FROM orleans_stream_message AS m
        WHERE m.service_id = p_service_id
          AND m.provider_id = p_provider_id
          AND m.queue_id = p_queue_id
          AND m.dequeued < p_max_attempts
          AND m.visible_on <= v_now
          AND m.expires_on > v_now
        ORDER BY m.message_id
        LIMIT GREATEST(COALESCE(p_max_count, 0), 0)
        FOR UPDATE SKIP LOCKED
    )
    UPDATE orleans_stream_message AS m
    SET dequeued = m.dequeued + 1,
        visible_on = v_now + GREATEST(COALESCE(p_visibility_timeout, 0), 0) * interval '1 second',
        modified_on = v_now
    FROM picked AS p
    WHERE m.service_id = p_service_id
      AND m.provider_id = p_provider_id
      AND m.queue_id = p_queue_id
      AND m.message_id = p.message_id
    RETURNING m.*;
END
$fn$;

-- Confirms (positive receipt: delete) or releases (negative receipt: visible
-- again now) the listed messages of one queue.  p_items is the provider's
-- 'messageId:receipt' list joined with '|'.  A message is touched only while
-- its dequeued count still equals |receipt|, i.e. nobody has dequeued it
-- since.  Rows are locked in id order before being changed.  Returns one row
-- per message confirmed or released.
CREATE OR REPLACE FUNCTION orleans_stream_confirm(
    p_service_id  text,
    p_provider_id text,
    p_queue_id    text,
    p_items       text)
RETURNS TABLE (service_id varchar, provider_id varchar, queue_id varchar, message_id bigint)
LANGUAGE sql
AS $fn$
    WITH parsed AS (
        SELECT split_part(item, ':', 1)::bigint  AS message_id,
               split_part(item, ':', 2)::integer AS receipt
        FROM unnest(string_to_array(p_items, '|')) AS item
        WHERE btrim(item) <> ''
    ),
    items AS (
        -- One entry per message; a confirmation wins over a release.
        SELECT DISTINCT ON (x.message_id) x.message_id, x.receipt
        FROM parsed AS x
        WHERE x.receipt <> 0
        ORDER BY x.message_id, x.receipt DESC
    ),
    target AS (
        SELECT m.message_id, i.receipt
        FROM orleans_stream_message AS m
        JOIN items AS i ON i.message_id = m.message_id
        WHERE m.service_id = p_service_id
          AND m.provider_id = p_provider_id
          AND m.queue_id = p_queue_id
          AND m.dequeued = abs(i.receipt)
        ORDER BY m.message_id
        FOR UPDATE OF m
    ),
    confirmed AS (
        DELETE FROM orleans_stream_message AS m
        USING target AS t
        WHERE t.receipt > 0
          AND m.service_id = p_service_id
          AND m.provider_id = p_provider_id
          AND m.queue_id = p_queue_id
          AND m.message_id = t.message_id
        RETURNING m.service_id, m.provider_id, m.queue_id, m.message_id
    ),
    released AS (
        UPDATE orleans_stream_message AS m
        SET visible_on = LEAST(m.visible_on, now()),
            modified_on = now()
        FROM target AS t
        WHERE t.receipt < 0
          AND m.service_id = p_service_id
          AND m.provider_id = p_provider_id
          AND m.queue_id = p_queue_id
          AND m.message_id = t.message_id
        RETURNING m.service_id, m.provider_id, m.queue_id, m.message_id
    )
    SELECT c.service_id, c.provider_id, c.queue_id, c.message_id FROM confirmed AS c
    UNION ALL
    SELECT r.service_id, r.provider_id, r.queue_id, r.message_id FROM released AS r
$fn$;

-- Delivery failure reported by the stream runtime for one message: if it may
-- still be retried it becomes visible again now (its attempt stays counted);
-- otherwise it moves to dead letters at once.  Returns 'retry', 'dead' or
-- 'missing' (already confirmed, evicted or never there).
CREATE OR REPLACE FUNCTION orleans_stream_fail(
    p_service_id      text,
    p_provider_id     text,
    p_queue_id        text,
    p_message_id      bigint,
    p_max_attempts    integer,
    p_removal_timeout integer)
RETURNS text
LANGUAGE plpgsql
AS $fn$
DECLARE
    v_dequeued integer;
BEGIN
    SELECT m.dequeued INTO v_dequeued
    FROM orleans_stream_message AS m
    WHERE m.service_id = p_service_id
      AND m.provider_id = p_provider_id
      AND m.queue_id = p_queue_id
      AND m.message_id = p_message_id
    FOR UPDATE;

    IF NOT FOUND THEN
        RETURN 'missing';
    END IF;

    IF v_dequeued < p_max_attempts THEN
        UPDATE orleans_stream_message AS m
        SET visible_on = now(),
            modified_on = now()
        WHERE m.service_id = p_service_id
          AND m.provider_id = p_provider_id
          AND m.queue_id = p_queue_id
          AND m.message_id = p_message_id;
        RETURN 'retry';
    END IF;

    WITH moved AS (
        DELETE FROM orleans_stream_message AS m
        WHERE m.service_id = p_service_id
          AND m.provider_id = p_provider_id
          AND m.queue_id = p_queue_id
          AND m.message_id = p_message_id
        RETURNING m.service_id, m.provider_id, m.queue_id, m.message_id, m.dequeued,
                  m.visible_on, m.expires_on, m.created_on, m.modified_on, m.payload
    )
    INSERT INTO orleans_stream_dead_letter
        (service_id, provider_id, queue_id, message_id, dequeued,
         visible_on, expires_on, created_on, modified_on,
         dead_on, remove_on, payload)
    SELECT service_id, provider_id, queue_id, message_id, dequeued,
           visible_on, expires_on, created_on, modified_on,
           now(), now() + GREATEST(COALESCE(p_removal_timeout, 0), 0) * interval '1 second',
           payload
    FROM moved
    ON CONFLICT ON CONSTRAINT orleans_stream_dead_letter_pkey DO UPDATE
        SET dequeued = EXCLUDED.dequeued,
            visible_on = EXCLUDED.visible_on,
            expires_on = EXCLUDED.expires_on,
            created_on = EXCLUDED.created_on,
            modified_on = EXCLUDED.modified_on,
            dead_on = EXCLUDED.dead_on,
            remove_on = EXCLUDED.remove_on,
            payload = EXCLUDED.payload;

    RETURN 'dead';
END
$fn$;

-- -----------------------------------------------------------------------------
-- Operator view (not used by Orleans)
-- -----------------------------------------------------------------------------

-- One row per queue that has messages or dead letters.  "stale_queue" rows
-- (no eviction for over an hour although something is left) usually belong
-- to a renamed/removed provider or an old partition count.
CREATE OR REPLACE VIEW orleans_stream_queue_stats AS
WITH queues AS (
    SELECT service_id, provider_id, queue_id FROM orleans_stream_message
    UNION
    SELECT service_id, provider_id, queue_id FROM orleans_stream_dead_letter
)
SELECT
    q.service_id,
    q.provider_id,
    q.queue_id,
    count(m.message_id) FILTER (WHERE m.visible_on <= now() AND m.expires_on > now()) AS ready_or_exhausted,
    count(m.message_id) FILTER (WHERE m.visible_on > now())                          AS in_flight,
    count(m.message_id) FILTER (WHERE m.expires_on <= now())                         AS expired,
    min(m.created_on)                                                                AS oldest_created_on,
    (SELECT count(*) FROM orleans_stream_dead_letter AS d
      WHERE d.service_id = q.service_id AND d.provider_id = q.provider_id
        AND d.queue_id = q.queue_id)                                                 AS dead_letters,
    s.evict_on                                                                       AS next_eviction,
    COALESCE(s.evict_on < now() - interval '1 hour', true)                           AS stale_queue
FROM queues AS q
LEFT JOIN orleans_stream_message AS m
       ON m.service_id = q.service_id AND m.provider_id = q.provider_id AND m.queue_id = q.queue_id
LEFT JOIN orleans_stream_eviction_schedule AS s
       ON s.service_id = q.service_id AND s.provider_id = q.provider_id AND s.queue_id = q.queue_id
GROUP BY q.service_id, q.provider_id, q.queue_id, s.evict_on;

COMMENT ON VIEW orleans_stream_queue_stats IS
    'Read-only: depth of each Orleans ADO.NET stream queue and its dead letters.';

-- -----------------------------------------------------------------------------
-- Provider statements
-- -----------------------------------------------------------------------------
-- Parameter names after "@" must match the provider's exactly (case aside);
-- Npgsql leaves an unknown "@Name" in the text, where PostgreSQL would read
-- "@" as its absolute-value operator.  Result columns are aliased to the
-- provider's spelling.

INSERT INTO orleansquery (querykey, querytext)
VALUES
-- In: @ServiceId @ProviderId @QueueId (text), @Payload (bytea),
--     @ExpiryTimeout (integer seconds).
-- Out: exactly one row: ServiceId, ProviderId, QueueId, MessageId (bigint).
(
    'QueueStreamMessageKey',
    $sql$
    INSERT INTO orleans_stream_message
        (service_id, provider_id, queue_id, dequeued,
         visible_on, expires_on, created_on, modified_on, payload)
    VALUES
        (@ServiceId, @ProviderId, @QueueId, 0,
         now(), now() + GREATEST(@ExpiryTimeout, 0) * interval '1 second', now(), now(),
         @Payload)
    RETURNING
        service_id AS "ServiceId",
        provider_id AS "ProviderId",
        queue_id AS "QueueId",
        message_id AS "MessageId"
    $sql$
),
-- In: @ServiceId @ProviderId @QueueId (text), @MaxCount @MaxAttempts
--     @VisibilityTimeout @RemovalTimeout @EvictionInterval @EvictionBatchSize
--     (integer; timeouts/interval in seconds).
-- Out: 0..@MaxCount rows ordered by MessageId: ServiceId, ProviderId, QueueId,
--      MessageId (bigint), Dequeued (integer), VisibleOn, ExpiresOn,
--      CreatedOn, ModifiedOn (timestamptz), Payload (bytea).
(
    'GetStreamMessagesKey',
    $sql$
    SELECT
        m.service_id  AS "ServiceId",
        m.provider_id AS "ProviderId",
        m.queue_id    AS "QueueId",
        m.message_id  AS "MessageId",
        m.dequeued    AS "Dequeued",
        m.visible_on  AS "VisibleOn",
        m.expires_on  AS "ExpiresOn",
        m.created_on  AS "CreatedOn",
        m.modified_on AS "ModifiedOn",
        m.payload     AS "Payload"
    FROM orleans_stream_dequeue(
        @ServiceId, @ProviderId, @QueueId, @MaxCount, @MaxAttempts,
        @VisibilityTimeout, @RemovalTimeout, @EvictionInterval, @EvictionBatchSize) AS m
    ORDER BY m.message_id
    $sql$
),
-- Confirmation and shutdown release share this key.
-- In: @ServiceId @ProviderId @QueueId (text), @Items (text 'id:receipt|...',
--     negative receipt = release).
-- Out: one row per message confirmed or released: ServiceId, ProviderId,
--      QueueId, MessageId (bigint).
(
    'ConfirmStreamMessagesKey',
    $sql$
    SELECT
        c.service_id  AS "ServiceId",
        c.provider_id AS "ProviderId",
        c.queue_id    AS "QueueId",
        c.message_id  AS "MessageId"
    FROM orleans_stream_confirm(@ServiceId, @ProviderId, @QueueId, @Items) AS c
    ORDER BY c.message_id
    $sql$
),
-- In: @ServiceId @ProviderId @QueueId (text), @MessageId (bigint),
--     @MaxAttempts @RemovalTimeout (integer).  Out: ignored by the provider.
(
    'FailStreamMessageKey',
    $sql$
    SELECT orleans_stream_fail(
        @ServiceId, @ProviderId, @QueueId, @MessageId, @MaxAttempts, @RemovalTimeout) AS "Outcome"
    $sql$
),
-- Not executed by 10.4.2 (eviction runs inside GetStreamMessagesKey) but
-- required at start-up.  In: @ServiceId @ProviderId @QueueId (text),
-- @MaxCount @MaxAttempts @RemovalTimeout (integer).  Out: ignored.
(
    'EvictStreamMessagesKey',
    $sql$
    SELECT orleans_stream_evict_messages(
        @ServiceId, @ProviderId, @QueueId, @MaxCount, @MaxAttempts, @RemovalTimeout) AS "Evicted"
    $sql$
),
-- Not executed by 10.4.2 but required at start-up.
-- In: @ServiceId @ProviderId @QueueId (text), @MaxCount (integer).  Out: ignored.
(
    'EvictStreamDeadLettersKey',
    $sql$
    SELECT orleans_stream_evict_dead_letters(
        @ServiceId, @ProviderId, @QueueId, @MaxCount) AS "Removed"
    $sql$
)
ON CONFLICT (querykey) DO UPDATE
    SET querytext  = EXCLUDED.querytext,
        updated_at = now()
    WHERE orleansquery.querytext IS DISTINCT FROM EXCLUDED.querytext;
