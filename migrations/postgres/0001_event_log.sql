-- The event log: append-only, in one global order (design.md §3, docs/adr/0001, docs/adr/0002).

CREATE TABLE events (
    id             BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id       UUID        NOT NULL UNIQUE,
    aggregate_type TEXT        NOT NULL,
    aggregate_id   TEXT        NOT NULL,
    sequence       BIGINT      NOT NULL CHECK (sequence >= 1),
    event_type     TEXT        NOT NULL,
    event_version  TEXT        NOT NULL,
    payload        JSONB       NOT NULL,
    metadata       JSONB       NOT NULL,
    effective_at   TIMESTAMPTZ NOT NULL,
    -- Set by the database, never by the caller.
    recorded_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    -- The writing transaction; the sequencer orders settled events by (txid, id).
    txid           XID8        NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT events_stream_sequence_key UNIQUE (aggregate_type, aggregate_id, sequence)
);

CREATE INDEX events_txid_id ON events (txid, id);

-- The first event of every stream, for listing a type's streams in order of appearance.
CREATE INDEX events_stream_starts ON events (aggregate_type, id) WHERE sequence = 1;

-- The global order: positions 1, 2, 3, … without gaps, assigned only to settled events by
-- ledger_sequence_events() (docs/adr/0002-global-order.md).
CREATE TABLE event_positions (
    position BIGINT PRIMARY KEY,
    event_id BIGINT NOT NULL UNIQUE REFERENCES events (id)
);

-- Gives positions to every event whose transaction has settled (txid below the oldest
-- transaction still running anywhere), in (txid, id) order, continuing after the last
-- positioned event. Runs serialized by an advisory lock; with `wait => false` it returns 0 at
-- once when another session is sequencing. Returns how many events it positioned.
-- VOLATILE plpgsql takes a fresh snapshot per statement, so the INSERT sees every sequencer
-- run that committed before this one obtained the lock.
CREATE FUNCTION ledger_sequence_events(wait BOOLEAN) RETURNS BIGINT
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    lock_key      CONSTANT BIGINT := 7814701316393234019; -- 'lsequenc' as ASCII bytes
    last_position BIGINT := 0;
    last_txid     XID8   := '0'::xid8;
    last_id       BIGINT := 0;
    assigned      BIGINT;
BEGIN
    IF wait THEN
        PERFORM pg_advisory_xact_lock(lock_key);
    ELSIF NOT pg_try_advisory_xact_lock(lock_key) THEN
        RETURN 0;
    END IF;

    SELECT p.position, e.txid, e.id
      INTO last_position, last_txid, last_id
      FROM event_positions p
      JOIN events e ON e.id = p.event_id
     ORDER BY p.position DESC
     LIMIT 1;
    IF NOT FOUND THEN
        last_position := 0;
        last_txid := '0'::xid8;
        last_id := 0;
    END IF;

    INSERT INTO event_positions (position, event_id)
    SELECT last_position + row_number() OVER (ORDER BY e.txid, e.id), e.id
      FROM events e
     WHERE (e.txid, e.id) > (last_txid, last_id)
       AND e.txid < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY e.txid, e.id;
    GET DIAGNOSTICS assigned = ROW_COUNT;
    RETURN assigned;
END
$$;

-- The global position of the event with internal id `target`, running the sequencer first if it
-- has none yet. NULL while an older transaction keeps the event unsettled: call again later.
CREATE FUNCTION ledger_await_position(target BIGINT) RETURNS BIGINT
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    found_position BIGINT;
BEGIN
    SELECT p.position INTO found_position FROM event_positions p WHERE p.event_id = target;
    IF found_position IS NULL THEN
        PERFORM ledger_sequence_events(true);
        SELECT p.position INTO found_position FROM event_positions p WHERE p.event_id = target;
    END IF;
    RETURN found_position;
END
$$;

-- Rule 1 of design.md §3: nothing in the log is ever updated or deleted; the database refuses.
CREATE FUNCTION ledger_refuse_change() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event log is append-only: % on % is refused; record a correcting event instead',
        TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER events_refuse_change
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER events_refuse_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER event_positions_refuse_change
    BEFORE UPDATE OR DELETE ON event_positions
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER event_positions_refuse_truncate
    BEFORE TRUNCATE ON event_positions
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
