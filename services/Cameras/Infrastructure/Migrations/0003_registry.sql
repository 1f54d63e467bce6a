-- Issue 7: the camera registry (site, owner, capabilities, the duty unit or ЦОУ the feed goes to), lifecycle history,
-- stream endpoints encrypted by the service (AES-GCM, never stored in clear) and health from heartbeats.
-- Columns are nullable or defaulted so that rows written by the minimal registry of 0002 stay valid.
ALTER TABLE cameras
    ADD COLUMN address           text,
    ADD COLUMN settlement        text,
    ADD COLUMN site_type         text CHECK (site_type IN ('street', 'yard', 'public_transport', 'school', 'park',
                                                           'entertainment_venue', 'road', 'other')),
    ADD COLUMN owner             text CHECK (owner IN ('police', 'akimat', 'private_security', 'school', 'other')),
    ADD COLUMN capabilities      text[]      NOT NULL DEFAULT '{}',
    ADD COLUMN control_centre    text,
    ADD COLUMN installed_on      date,
    ADD COLUMN updated_at        timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN idempotency_key   text UNIQUE,
    -- nonce (12) || tag (16) || ciphertext, bound to the camera id as associated data.
    ADD COLUMN stream_endpoint   bytea,
    ADD COLUMN last_seen_at      timestamptz,
    ADD COLUMN health            text        NOT NULL DEFAULT 'unknown' CHECK (health IN ('unknown', 'online', 'offline')),
    ADD COLUMN health_changed_at timestamptz;

CREATE INDEX cameras_settlement_idx ON cameras (region, settlement);
-- The offline sweeper's question: online cameras by last heartbeat.
CREATE INDEX cameras_online_last_seen_idx ON cameras (last_seen_at) WHERE health = 'online';

CREATE TABLE camera_status_history (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    camera_id   uuid        NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    from_status text,
    to_status   text        NOT NULL,
    reason      text,
    changed_by  text,
    changed_at  timestamptz NOT NULL
);

CREATE INDEX camera_status_history_camera_idx ON camera_status_history (camera_id, id);
