-- A citizen's double click on the complaint form files one complaint. Citizens have no client identity, so their
-- Idempotency-Keys share one space among public complaints; the request's fingerprint tells a repeat of the same
-- complaint from a different one that reuses a key (answered 409, never with the first complaint's reference code).
ALTER TABLE complaints ADD COLUMN request_hash bytea;
CREATE UNIQUE INDEX complaints_public_idempotency ON complaints (idempotency_key) WHERE source = 'public' AND idempotency_key IS NOT NULL;
