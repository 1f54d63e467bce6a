-- A custody period is ended once (the release), by an officer on record; ends_at given when it was recorded is a planned end.
ALTER TABLE custody_periods ADD COLUMN ended_by text;
