-- Plates and evidence of fixations that gave no violation are erased after the retention period (PlateRetention):
-- the record stays for counts and deduplication, the personal data goes.
ALTER TABLE fixations ALTER COLUMN plate DROP NOT NULL;
ALTER TABLE fixations ADD COLUMN erased_at timestamptz;
CREATE INDEX fixations_retention ON fixations (received_at) WHERE plate IS NOT NULL;
-- The eraser keeps the entry fixation of a section violation: looked up by this.
CREATE INDEX violations_entry_fixation ON violations (entry_fixation_id) WHERE entry_fixation_id IS NOT NULL;
