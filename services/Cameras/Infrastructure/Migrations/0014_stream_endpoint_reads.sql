-- Every disclosure of a camera's stream endpoint (its URL with credentials): who (client, user, subject), which camera,
-- when and, if given, why. The camera's region at the time of the read decides which region's auditors see the row. Rows
-- are never changed or deleted by the service: the trail outlives the credentials it is about.
CREATE TABLE stream_endpoint_reads (
    id         uuid        PRIMARY KEY,
    camera_id  uuid        NOT NULL REFERENCES cameras (id),
    region     text        NOT NULL,
    client_id  text,
    user_name  text,
    subject    text,
    reason     text,
    read_at    timestamptz NOT NULL
);

-- Auditors page through a region's or a camera's reads in id order (UUIDv7: the order they happened).
CREATE INDEX stream_endpoint_reads_region_idx ON stream_endpoint_reads (region, id);
CREATE INDEX stream_endpoint_reads_camera_idx ON stream_endpoint_reads (camera_id, id);
