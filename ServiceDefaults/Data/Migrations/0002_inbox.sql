-- Idempotent consumers (ServiceDefaults/Messaging): a consumer's effect and its inbox row commit together, so a
-- redelivered or re-published message (same MessageId) finds its row and changes nothing.
CREATE TABLE inbox_messages (
    message_id   uuid        NOT NULL,
    consumer     text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, consumer)
);

CREATE INDEX inbox_messages_processed_at ON inbox_messages (processed_at);
