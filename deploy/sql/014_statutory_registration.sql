-- Statutory registrations (hotel check-ins, train boardings): ID number, name, time and place, sealed to the
-- registration authority's public key (Grains.Interfaces/Protocol/StatutorySeal.cs), stored with the verification's
-- history line and readable only with the authority's private key (nid authority open). Idempotent.
ALTER TABLE access_history ADD COLUMN IF NOT EXISTS sealed_registration bytea NULL;
