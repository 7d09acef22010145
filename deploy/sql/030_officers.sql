-- Officers are people (issue 15, docs/decisions/officers.md): service halls, officer accounts and what happened to
-- them, in the national database. An officer is known everywhere else by officer_id (8 characters of Crockford base32,
-- random): never the login, which is only here. The password is a PBKDF2-SHA256 hash with its cost; the TOTP secret is
-- sealed under a master key (AES-GCM, bound to the officer id), so a copy of this table opens nobody's second factor.
-- totp_last_step makes each 30-second code usable once, on every silo (the sign-in's UPDATE requires a later step).
-- Idempotent.
CREATE TABLE IF NOT EXISTS service_halls
(
    hall_id    text        NOT NULL PRIMARY KEY CHECK (hall_id ~ '^h-[0-9A-HJKMNP-TV-Z]{8}$'),
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    province   text        NOT NULL CHECK (province ~ '^[0-9]{2}$'),
    active     boolean     NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS officers
(
    officer_id      text        NOT NULL PRIMARY KEY CHECK (officer_id ~ '^[0-9A-HJKMNP-TV-Z]{8}$'),
    login           text        NOT NULL UNIQUE CHECK (login ~ '^[a-z0-9._-]{3,64}$'),
    hall_id         text        NOT NULL REFERENCES service_halls (hall_id),
    roles           text[]      NOT NULL,
    disabled        boolean     NOT NULL DEFAULT false,
    password_hash   text        NOT NULL,
    totp_secret     bytea       NOT NULL,
    totp_secret_kid bigint      NOT NULL,
    totp_last_step  bigint      NOT NULL DEFAULT 0,
    failed_sign_ins integer     NOT NULL DEFAULT 0,
    locked_until    timestamptz NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Sign-ins and refusals, account changes: what an auditor reads about officers. No password, no code, no login of
-- an unknown account (a typo of someone's password in the login field would otherwise be stored).
CREATE TABLE IF NOT EXISTS officer_events
(
    event_id   uuid        NOT NULL PRIMARY KEY,
    seq        bigint      GENERATED ALWAYS AS IDENTITY, -- insertion order: several events may share a millisecond
    at         timestamptz NOT NULL,
    officer_id text        NULL,
    hall_id    text        NULL,
    kind       text        NOT NULL,
    detail     text        NULL
);

CREATE INDEX IF NOT EXISTS officer_events_officer_idx ON officer_events (officer_id, seq DESC);
