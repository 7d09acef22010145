-- The audit chain is the only truth (docs/security.md): no history line may be written without its chain data, so a
-- line slipped in by someone with write access to the table but without the writer's chain cannot pose as history.
-- Readers also ignore unchained lines, and nid audit verify reports them as tampering. NOT VALID: lines written before
-- the chain existed (none in any deployment) are not checked; every new line is. Idempotent.
DO
$$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'access_history_chained' AND conrelid = 'access_history'::regclass) THEN
        ALTER TABLE access_history ADD CONSTRAINT access_history_chained
            CHECK (chain_id IS NOT NULL AND chain_seq IS NOT NULL AND chain_seq > 0
                   AND chain_hash IS NOT NULL AND octet_length(chain_hash) = 32) NOT VALID;
    END IF;
END;
$$;
