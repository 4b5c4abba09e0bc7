-- API tokens for staff. Mutable (revocation) and not part of the event log.
-- Only the SHA-256 of a token is stored; the token itself is shown once, at creation.
CREATE TABLE api_tokens (
    token_id   UUID        NOT NULL PRIMARY KEY,
    staff_id   UUID        NOT NULL,
    token_hash BYTEA       NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    label      TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID        NOT NULL,
    revoked_at TIMESTAMPTZ,
    revoked_by UUID,
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

CREATE INDEX api_tokens_staff ON api_tokens (staff_id, created_at);
