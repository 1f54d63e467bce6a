-- What the person agreed to at discharge about a survey on the service received (Feedback, issue 5): consent and the
-- kind of channel they named as safe. Never the contact itself: it stays in the centre's case file.
ALTER TABLE placements
    ADD COLUMN survey_consent boolean NOT NULL DEFAULT false,
    ADD COLUMN safe_channel   text,
    ADD CONSTRAINT placements_safe_channel_check
        CHECK (safe_channel IS NULL OR (survey_consent AND safe_channel IN ('sms', 'messenger', 'email', 'phone_call', 'in_person')));
