-- The central-table baseline is filled by the silo now (Silo/Baseline/CentralTableApi.cs, Import): citizens' personal
-- data is sealed in grain state (encryption at rest), which SQL cannot open. Idempotent.
DROP FUNCTION IF EXISTS nid_baseline_import();
