-- Publisher side: the state the domain operation changes together with the outbox.
CREATE TABLE camera_status (
    camera_id     uuid        PRIMARY KEY,
    region        text        NOT NULL,
    offline_since timestamptz NOT NULL,
    changes       bigint      NOT NULL DEFAULT 1
);

-- Consumer side: one row per application of an event. No unique constraint on purpose: a duplicate would show.
CREATE TABLE effects (
    id                   bigserial   PRIMARY KEY,
    message_id           uuid        NOT NULL,
    transport_message_id uuid,
    camera_id            uuid        NOT NULL,
    trace_id             text,
    occurred_at          timestamptz NOT NULL,
    applied_at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    consumer_pid         integer     NOT NULL
);

-- Events about these cameras fail in the consumer (a "bug" the test fixes by deleting the row).
CREATE TABLE quarantined_cameras (camera_id uuid PRIMARY KEY);
