-- Tamper evidence for the access history. Every writer (one per silo process) links the lines it writes into a hash
-- chain of its own, a new chain per writer per UTC day: chain_hash = SHA-256("NID-AUDIT-v1" ‖ previous hash ‖ chain id
-- ‖ sequence ‖ every field of the line, length-prefixed), computed before the line is written and stored with it
-- (Grains.Interfaces/History/AuditChain.cs). A changed, deleted or reordered line breaks its chain; a cut tail is seen
-- against chain heads exported earlier (nid audit heads / nid audit verify). Lines written before this migration have
-- no chain (chain_id NULL). Idempotent.
ALTER TABLE access_history ADD COLUMN IF NOT EXISTS chain_id uuid NULL;
ALTER TABLE access_history ADD COLUMN IF NOT EXISTS chain_seq bigint NULL;
ALTER TABLE access_history ADD COLUMN IF NOT EXISTS chain_hash bytea NULL;

CREATE INDEX IF NOT EXISTS access_history_chain_idx ON access_history (chain_id, chain_seq) WHERE chain_id IS NOT NULL;
