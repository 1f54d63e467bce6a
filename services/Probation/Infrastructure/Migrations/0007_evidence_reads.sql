-- A violation's evidence positions are location data like the history: reading them needs a reason and is recorded in
-- the same audit, naming the violation whose evidence was read (null for a history read).
ALTER TABLE location_reads ADD COLUMN violation_id uuid REFERENCES violations (id);
