-- The hash chain over the log (design.md §3 rule 10, docs/adr/0007-hash-chain.md): one link
-- per position, SHA-256 over the previous link and the event's canonical encoding.
--
-- SQLite cannot hash in SQL, so the append transaction numbers its events and links them
-- itself (store/src/chain/sqlite.rs), and the position trigger goes. The links of a ledger
-- written before this migration are written when it is next opened.

DROP TRIGGER events_assign_position;

CREATE TABLE event_chain (
    position INTEGER PRIMARY KEY,
    link     BLOB    NOT NULL CHECK (typeof(link) = 'blob' AND length(link) = 32)
);

CREATE TRIGGER event_chain_refuse_update BEFORE UPDATE ON event_chain
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only: its hash chain cannot be changed');
END;

CREATE TRIGGER event_chain_refuse_delete BEFORE DELETE ON event_chain
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only: its hash chain cannot be deleted');
END;
