-- Retention deletes a person's device events and looks for ones stored after an earlier purge (a device still worn after
-- supervision ended): both by person.
CREATE INDEX device_events_person_idx ON device_events (person_id) WHERE person_id IS NOT NULL;
