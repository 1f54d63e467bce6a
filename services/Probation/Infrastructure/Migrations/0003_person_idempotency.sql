-- A retried "place under monitoring" with the same Idempotency-Key returns the first person instead of a second one.
ALTER TABLE persons ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX persons_idempotency_idx ON persons (officer_subject, idempotency_key) WHERE idempotency_key IS NOT NULL;
