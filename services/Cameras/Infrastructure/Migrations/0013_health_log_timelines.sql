-- Uptime starts each camera's timeline from its last log row before the period and reads the rows inside it; retention keeps
-- that last row before its cut. Both ask "latest row of this camera before t", ordered by (at, id) as the log is read:
-- the id breaks ties between rows of the same instant, so the index carries it and the question is one index probe.
CREATE INDEX camera_health_log_camera_at_id_idx ON camera_health_log (camera_id, at, id);
DROP INDEX camera_health_log_camera_idx;
