-- The event log: append-only, in one global order (design.md §3, docs/adr/0001, docs/adr/0002).
--
-- Timestamps are RFC 3339 text in UTC with exactly six fractional digits and a 'Z'
-- (e.g. 2026-02-14T09:30:00.123456Z), so comparing the text compares the instants.
-- UUIDs are hyphenated lower-case text.

CREATE TABLE events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id       TEXT    NOT NULL UNIQUE,
    aggregate_type TEXT    NOT NULL,
    aggregate_id   TEXT    NOT NULL,
    sequence       INTEGER NOT NULL CHECK (sequence >= 1),
    event_type     TEXT    NOT NULL,
    event_version  TEXT    NOT NULL,
    payload        TEXT    NOT NULL CHECK (json_valid(payload)),
    metadata       TEXT    NOT NULL CHECK (json_valid(metadata)),
    effective_at   TEXT    NOT NULL,
    -- Set by the database; SQLite's clock has millisecond resolution, padded to micros.
    recorded_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
    CONSTRAINT events_stream_sequence_key UNIQUE (aggregate_type, aggregate_id, sequence)
);

-- The first event of every stream, for listing a type's streams in order of appearance.
CREATE INDEX events_stream_starts ON events (aggregate_type, id) WHERE sequence = 1;

-- The global order: positions 1, 2, 3, … without gaps. `position` is the rowid alias, so VACUUM
-- cannot renumber it. SQLite serializes writers, so assigning max + 1 inside the writing
-- transaction makes position order the commit order.
CREATE TABLE event_positions (
    position INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL UNIQUE REFERENCES events (id)
);

CREATE TRIGGER events_assign_position AFTER INSERT ON events
BEGIN
    INSERT INTO event_positions (position, event_id)
    VALUES ((SELECT coalesce(max(position), 0) + 1 FROM event_positions), NEW.id);
END;

-- Rule 1 of design.md §3: nothing in the log is ever updated or deleted; the database refuses.
CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only: events cannot be updated; record a correcting event instead');
END;

CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only: events cannot be deleted; record a correcting event instead');
END;

CREATE TRIGGER event_positions_refuse_update BEFORE UPDATE ON event_positions
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only: event positions cannot be changed');
END;

CREATE TRIGGER event_positions_refuse_delete BEFORE DELETE ON event_positions
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only: event positions cannot be deleted');
END;
