-- Writers waiting for their position share sequencer runs (docs/adr/0002-global-order.md,
-- "Shared runs"). Before, every writer whose event had no position ran the whole sequencer
-- under its lock, one after another, even when the run it had queued behind had just positioned
-- its event: at 8 writers the serialized runs (~0.6 ms each) bounded commands at ~1,600/s.
-- Now a writer that finds no position takes the sequencer's lock first and looks again: the run
-- it waited for may have positioned its event, and only if not does it run the sequencer itself.
-- The look runs after the lock is granted, so its snapshot sees every run that finished before.
CREATE OR REPLACE FUNCTION ledger_await_position(target BIGINT) RETURNS BIGINT
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    lock_key       CONSTANT BIGINT := 7814701316393234019; -- ledger_sequence_events' lock
    found_position BIGINT;
BEGIN
    SELECT p.position INTO found_position FROM event_positions p WHERE p.event_id = target;
    IF found_position IS NOT NULL THEN
        RETURN found_position;
    END IF;
    PERFORM pg_advisory_xact_lock(lock_key);
    SELECT p.position INTO found_position FROM event_positions p WHERE p.event_id = target;
    IF found_position IS NULL THEN
        -- The lock is held already; taking it again inside is granted at once.
        PERFORM ledger_sequence_events(true);
        SELECT p.position INTO found_position FROM event_positions p WHERE p.event_id = target;
    END IF;
    RETURN found_position;
END
$$;
