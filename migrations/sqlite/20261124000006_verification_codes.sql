-- One-time codes for email change, password change and reset. Only a hash is kept.
CREATE TABLE verification_codes (
    id         INTEGER PRIMARY KEY,
    email      TEXT    NOT NULL,                 -- lower-cased
    purpose    TEXT    NOT NULL,                 -- CHANGE_EMAIL | CHANGE_PASSWORD | RESET_PASSWORD
    code_hash  TEXT    NOT NULL,                 -- SHA-256 of purpose, email and code, hex
    attempts   INTEGER NOT NULL DEFAULT 0,       -- wrong tries so far
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX verification_codes_email_purpose_key ON verification_codes (email, purpose);
CREATE INDEX verification_codes_expires_idx ON verification_codes (expires_at);
