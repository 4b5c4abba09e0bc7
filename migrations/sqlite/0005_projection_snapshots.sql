-- Projection snapshots: a read model serialized whole, with the log position it has folded up
-- to. A read-model table, not the log: rows are upserted and deleted freely, and deleting them
-- only costs a replay (design.md §3 rule 7). View and checkpoint share one row, so one statement
-- writes both: a crash never leaves a view ahead of, or behind, its position.
CREATE TABLE projection_snapshots (
    name     TEXT    NOT NULL PRIMARY KEY,
    -- The model's version: a snapshot of another version is ignored and the log replayed.
    version  INTEGER NOT NULL,
    position INTEGER NOT NULL CHECK (position >= 0),
    body     TEXT    NOT NULL,
    saved_at TEXT    NOT NULL
);
