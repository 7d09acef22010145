-- The central-table baseline carries the same statutory duty as the grains (sealed registrations for hotel check-ins
-- and rail boardings), so that the comparison in docs/performance.md is at equal work. Idempotent.
ALTER TABLE baseline_history ADD COLUMN IF NOT EXISTS sealed_registration bytea NULL;
