-- Idempotency keys (design.md §3.9): a retried request with the same key replays the stored
-- response instead of doing the work twice. `scope` is the caller's staff id.
CREATE TABLE idempotency_keys (
    scope         TEXT        NOT NULL,
    key           TEXT        NOT NULL,
    request_hash  BYTEA       NOT NULL CHECK (octet_length(request_hash) = 32),
    status_code   INTEGER,
    response_body TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    completed_at  TIMESTAMPTZ,
    PRIMARY KEY (scope, key),
    CHECK ((status_code IS NULL) = (completed_at IS NULL))
);
