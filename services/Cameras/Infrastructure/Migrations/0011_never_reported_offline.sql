-- An active camera that never reports goes offline too (it stayed 'unknown' forever: no CameraWentOffline, and uptime left it
-- out). Its silence counts from when it became active: while health is 'unknown', health_changed_at is that moment (set on
-- registration as active and on every move to active). Cameras already active take their last move to active from the history.
-- Synthetic cameras have no device behind them and are never swept for not reporting.
UPDATE cameras c
SET health_changed_at = coalesce(
    (SELECT max(h.changed_at) FROM camera_status_history h WHERE h.camera_id = c.id AND h.to_status = 'active'), c.updated_at)
WHERE c.status = 'active' AND c.health = 'unknown' AND c.health_changed_at IS NULL AND NOT c.synthetic;

-- The sweeper's second question: active cameras that never reported, by when they became active.
CREATE INDEX cameras_never_reported_idx ON cameras (health_changed_at) WHERE health = 'unknown' AND status = 'active' AND NOT synthetic;
