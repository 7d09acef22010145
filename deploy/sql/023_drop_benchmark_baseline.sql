-- The central-table baseline moved to the benchmark host (bench/Baseline, its tables in bench/sql): a production
-- database holds none of it. Its tables held personal data in clear after an import, so a database that ever had them
-- loses them here. Idempotent; a benchmark database gets them again from bench/sql after this.
DROP FUNCTION IF EXISTS nid_baseline_import();
DROP TABLE IF EXISTS baseline_history;
DROP TABLE IF EXISTS baseline_credentials;
DROP TABLE IF EXISTS baseline_citizens;
