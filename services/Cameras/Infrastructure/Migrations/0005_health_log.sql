-- Issue 7, uptime: every change of a camera's health (first heartbeat, offline, back online, no longer monitored), so that
-- uptime per camera, region and owner can be computed over any period.
CREATE TABLE camera_health_log (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    camera_id uuid        NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    health    text        NOT NULL CHECK (health IN ('unknown', 'online', 'offline')),
    at        timestamptz NOT NULL
);

CREATE INDEX camera_health_log_at_idx ON camera_health_log (at);
CREATE INDEX camera_health_log_camera_idx ON camera_health_log (camera_id, at);
