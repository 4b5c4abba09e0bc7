-- The hash chain over the log (design.md §3 rule 10, docs/adr/0007-hash-chain.md): one link
-- per position, SHA-256 over the previous link and the event's canonical encoding. The
-- sequencer writes each link in the transaction that gives the event its position.

CREATE TABLE event_chain (
    position BIGINT PRIMARY KEY,
    link     BYTEA  NOT NULL CHECK (length(link) = 32)
);

CREATE TRIGGER event_chain_refuse_change
    BEFORE UPDATE OR DELETE ON event_chain
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER event_chain_refuse_truncate
    BEFORE TRUNCATE ON event_chain
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- A text field of the encoding: its UTF-8 byte length as 8 bytes big-endian, then the bytes.
CREATE FUNCTION ledger_chain_text(value TEXT) RETURNS BYTEA
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT int8send(length(bytes)::bigint) || bytes
      FROM (SELECT convert_to(value, 'UTF8') AS bytes) AS utf8
$$;

-- An instant of the encoding: microseconds since 1970-01-01T00:00:00Z, 8 bytes big-endian.
CREATE FUNCTION ledger_chain_instant(at TIMESTAMPTZ) RETURNS BYTEA
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT int8send((extract(epoch FROM at) * 1000000)::bigint)
$$;

-- The link of event `e` at `at_position` after `previous`; the same bytes as
-- store/src/chain/link.rs (`Linked::link_after`). `jsonb`'s text form is the canonical JSON.
CREATE FUNCTION ledger_chain_link(previous BYTEA, at_position BIGINT, e events) RETURNS BYTEA
LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
    SELECT sha256(
        previous
        || int8send(at_position)
        || uuid_send(e.event_id)
        || ledger_chain_text(e.aggregate_type)
        || ledger_chain_text(e.aggregate_id)
        || int8send(e.sequence)
        || ledger_chain_text(e.event_type)
        || ledger_chain_text(e.event_version)
        || ledger_chain_text(e.payload::text)
        || ledger_chain_text(e.metadata::text)
        || ledger_chain_instant(e.effective_at)
        || ledger_chain_instant(e.recorded_at)
    )
$$;

-- Link the log written so far.
DO $$
DECLARE
    previous BYTEA := '\x0000000000000000000000000000000000000000000000000000000000000000';
    positioned RECORD;
BEGIN
    FOR positioned IN
        SELECT p.position, e AS event
          FROM event_positions p JOIN events e ON e.id = p.event_id
         ORDER BY p.position
    LOOP
        previous := ledger_chain_link(previous, positioned.position, positioned.event);
        INSERT INTO event_chain (position, link) VALUES (positioned.position, previous);
    END LOOP;
END
$$;

-- The sequencer of migration 0004, now also linking each event it positions, in position
-- order, after the link of the last positioned event (docs/adr/0002-global-order.md).
CREATE OR REPLACE FUNCTION ledger_sequence_events(wait BOOLEAN) RETURNS BIGINT
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    lock_key      CONSTANT BIGINT := 7814701316393234019; -- 'lsequenc' as ASCII bytes
    last_position BIGINT := 0;
    last_txid     XID8   := '0'::xid8;
    last_id       BIGINT := 0;
    last_link     BYTEA  := '\x0000000000000000000000000000000000000000000000000000000000000000';
    settled       events;
    positions     BIGINT[] := '{}';
    event_ids     BIGINT[] := '{}';
    links         BYTEA[]  := '{}';
BEGIN
    IF wait THEN
        PERFORM pg_advisory_xact_lock(lock_key);
    ELSIF NOT pg_try_advisory_xact_lock(lock_key) THEN
        RETURN 0;
    END IF;
    PERFORM set_config('synchronous_commit', 'off', true);

    SELECT p.position, e.txid, e.id
      INTO last_position, last_txid, last_id
      FROM event_positions p
      JOIN events e ON e.id = p.event_id
     ORDER BY p.position DESC
     LIMIT 1;
    IF FOUND THEN
        SELECT c.link INTO last_link FROM event_chain c WHERE c.position = last_position;
        IF last_link IS NULL THEN
            RAISE EXCEPTION 'the hash chain has no link at position %', last_position
                USING ERRCODE = 'data_corrupted';
        END IF;
    ELSE
        last_position := 0;
        last_txid := '0'::xid8;
        last_id := 0;
    END IF;

    FOR settled IN
        SELECT *
          FROM events e
         WHERE (e.txid, e.id) > (last_txid, last_id)
           AND e.txid < pg_snapshot_xmin(pg_current_snapshot())
         ORDER BY e.txid, e.id
    LOOP
        last_position := last_position + 1;
        last_link := ledger_chain_link(last_link, last_position, settled);
        positions := positions || last_position;
        event_ids := event_ids || settled.id;
        links := links || last_link;
    END LOOP;

    INSERT INTO event_positions (position, event_id)
    SELECT * FROM unnest(positions, event_ids);
    INSERT INTO event_chain (position, link)
    SELECT * FROM unnest(positions, links);
    RETURN cardinality(positions);
END
$$;
