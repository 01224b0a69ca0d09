-- Sessions with an absolute end, signing keys with their activation time, sealed secrets.
ALTER TABLE refresh_tokens ADD COLUMN session_expires_at INTEGER NOT NULL DEFAULT 0;
UPDATE refresh_tokens SET session_expires_at = expires_at;
CREATE TABLE signing_keys (
    kid            TEXT PRIMARY KEY,      -- RFC 7638 thumbprint
    alg            TEXT NOT NULL,
    created_at_ms  INTEGER NOT NULL,      -- published from then on
    activate_at_ms INTEGER NOT NULL,      -- signs from then on (pending before)
    private_jwk    BLOB NOT NULL,         -- AES-256-GCM ciphertext, or plaintext if kek_id IS NULL
    nonce          BLOB,
    kek_id         TEXT
);
CREATE TABLE secrets (
    name   TEXT PRIMARY KEY,
    value  BLOB NOT NULL,
    nonce  BLOB,
    kek_id TEXT
);
