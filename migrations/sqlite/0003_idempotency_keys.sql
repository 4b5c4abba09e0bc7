-- Idempotency keys (design.md §3.9): a retried request with the same key replays the stored
-- response instead of doing the work twice. `scope` is the caller's staff id.
CREATE TABLE idempotency_keys (
    scope         TEXT    NOT NULL,
    key           TEXT    NOT NULL,
    request_hash  BLOB    NOT NULL CHECK (length(request_hash) = 32),
    status_code   INTEGER,
    response_body TEXT,
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
    completed_at  TEXT,
    PRIMARY KEY (scope, key),
    CHECK ((status_code IS NULL) = (completed_at IS NULL))
);
