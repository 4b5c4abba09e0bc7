-- A claim on an idempotency key is one attempt at its request (docs/adr/0010-idempotency-after-a-crash.md).
-- `claim_id` names the key in the metadata of every event its request appends; `attempt` counts
-- the takeovers of a claim whose lease ran out (its holder crashed, or is too slow); `claimed_at`
-- starts the current attempt's lease; `appended` is set in the transaction that appends events
-- under the current attempt, which also checks that the attempt still holds the claim.
ALTER TABLE idempotency_keys ADD COLUMN claim_id TEXT;
ALTER TABLE idempotency_keys ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1 CHECK (attempt >= 1);
ALTER TABLE idempotency_keys ADD COLUMN claimed_at TEXT;
ALTER TABLE idempotency_keys ADD COLUMN appended INTEGER NOT NULL DEFAULT 0 CHECK (appended IN (0, 1));

CREATE UNIQUE INDEX idempotency_keys_claim_key ON idempotency_keys (claim_id);
