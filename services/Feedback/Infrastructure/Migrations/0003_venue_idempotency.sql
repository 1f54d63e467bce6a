-- A police system's retry of a venue registration returns the first venue instead of creating a duplicate.
ALTER TABLE venues ADD COLUMN client_id text, ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX venues_idempotency ON venues (client_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
