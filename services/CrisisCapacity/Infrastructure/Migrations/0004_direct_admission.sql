-- Admission without a prior hold (a person who arrives at the door): the idempotency key of the admitting request.
ALTER TABLE placements ADD COLUMN client_id text, ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX placements_idempotency_idx ON placements (client_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

ALTER TABLE turned_away DROP CONSTRAINT turned_away_source_check;
ALTER TABLE turned_away ADD CONSTRAINT turned_away_source_check CHECK (source IN ('search', 'reservation', 'admission'));
