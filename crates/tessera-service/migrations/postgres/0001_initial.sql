-- tessera-service on PostgreSQL: everything the instances share.
CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,          -- Argon2id PHC string
    scope         TEXT NOT NULL
);
CREATE TABLE refresh_tokens (
    token_hash         BYTEA PRIMARY KEY, -- SHA-256 of the token
    family             TEXT NOT NULL,     -- one login; revoked as a whole
    user_id            BIGINT NOT NULL REFERENCES users(id),
    created_at         BIGINT NOT NULL,   -- seconds since the epoch
    expires_at         BIGINT NOT NULL,
    session_expires_at BIGINT NOT NULL,   -- the family's absolute end
    used_at            BIGINT,            -- set when exchanged: single use
    revoked_at         BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family);
CREATE TABLE signing_keys (
    kid            TEXT PRIMARY KEY,      -- RFC 7638 thumbprint
    alg            TEXT NOT NULL,
    created_at_ms  BIGINT NOT NULL,       -- published from then on
    activate_at_ms BIGINT NOT NULL,       -- signs from then on (pending before)
    private_jwk    BYTEA NOT NULL,        -- AES-256-GCM ciphertext (plaintext if kek_id IS NULL)
    nonce          BYTEA,
    kek_id         TEXT
);
CREATE TABLE secrets (
    name   TEXT PRIMARY KEY,
    value  BYTEA NOT NULL,
    nonce  BYTEA,
    kek_id TEXT
);
