-- An alert's point (and the cameras near it) is read like the history: with a reason, recorded here with the alert.
ALTER TABLE location_reads ADD COLUMN alert_id uuid REFERENCES alerts (id);

-- Events no longer carry positions (ProbationViolationDetected and ProbationAlertEscalated, schema version 2). Those
-- recorded before are kept in the outbox for days after publishing: their positions go now, unsent ones included.
UPDATE outbox_messages SET body = body - 'evidence'
WHERE message_type LIKE 'PublicSafety.Contracts.Probation.ProbationViolationDetected,%' AND body -> 'evidence' IS NOT NULL;
UPDATE outbox_messages SET body = body - 'latitude' - 'longitude'
WHERE message_type LIKE 'PublicSafety.Contracts.Probation.ProbationAlertEscalated,%' AND (body -> 'latitude' IS NOT NULL OR body -> 'longitude' IS NOT NULL);
