-- Feedback (issue 5): interactions with police, survey invitations and responses, complaints, venues and 102 signals.
-- No contact details anywhere: invitations are delivered by a notification system that asks the source for the contact.

CREATE TABLE interactions (
    id               uuid        PRIMARY KEY,
    source_system    text        NOT NULL,          -- the registering client (azp), crisis-capacity or probation
    source_reference text        NOT NULL,          -- the source's own reference: call card, case code, check-in id
    kind             text        NOT NULL,
    offence_category text,
    region           text        NOT NULL,
    unit             text        NOT NULL,
    channel          text        NOT NULL,
    occurred_at      timestamptz NOT NULL,
    recorded_at      timestamptz NOT NULL,
    survey           text        NOT NULL CHECK (survey IN ('invited', 'suppressed', 'no_consent')),
    suppressed_by    text,
    safe_channel     text,
    synthetic        boolean     NOT NULL DEFAULT false,
    -- A source registering the same interaction twice (a retry, a redelivered event) gets the first one back.
    UNIQUE (source_system, source_reference)
);
CREATE INDEX interactions_region_occurred ON interactions (region, occurred_at);

CREATE TABLE survey_invitations (
    id               uuid        PRIMARY KEY,
    interaction_id   uuid        NOT NULL UNIQUE REFERENCES interactions (id),
    token_hash       bytea       NOT NULL UNIQUE,   -- SHA-256 of the token; the token itself is never stored
    region           text        NOT NULL,
    unit             text        NOT NULL,
    kind             text        NOT NULL,
    channel          text        NOT NULL,
    occurred_at      timestamptz NOT NULL,
    issued_at        timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    used_at          timestamptz
);
-- Response rate: invitations issued in a region and period.
CREATE INDEX survey_invitations_region_issued ON survey_invitations (region, issued_at) INCLUDE (unit, kind, channel, used_at);

CREATE TABLE survey_responses (
    id               uuid        PRIMARY KEY,
    -- One submission per invitation, enforced here whatever the application does; null for unsolicited feedback.
    invitation_id    uuid        UNIQUE REFERENCES survey_invitations (id),
    verified         boolean     NOT NULL,
    region           text        NOT NULL,
    unit             text,
    kind             text,
    channel          text,
    submitted_at     timestamptz NOT NULL,
    overall          smallint    NOT NULL CHECK (overall BETWEEN 1 AND 5),
    legality         smallint    CHECK (legality BETWEEN 1 AND 5),
    thoroughness     smallint    CHECK (thoroughness BETWEEN 1 AND 5),
    timeliness       smallint    CHECK (timeliness BETWEEN 1 AND 5),
    respect          smallint    CHECK (respect BETWEEN 1 AND 5),
    informedness     smallint    CHECK (informedness BETWEEN 1 AND 5),
    comment          text,                          -- masked at write time (CommentText)
    synthetic        boolean     NOT NULL DEFAULT false,
    CHECK (verified = (invitation_id IS NOT NULL))
);
-- The indicator query (one region, a period, any breakdown) reads only this index: an index-only scan of the region's
-- rows in the period, with every column it aggregates or groups by, so it never visits the table (bench/feedback).
CREATE INDEX survey_responses_indicators ON survey_responses (region, submitted_at)
    INCLUDE (verified, overall, legality, thoroughness, timeliness, respect, informedness, unit, kind, channel);
-- Analysts' comment listing: newest first, only rows with a comment.
CREATE INDEX survey_responses_comments ON survey_responses (region, submitted_at DESC) WHERE comment IS NOT NULL;

CREATE TABLE complaints (
    id               uuid        PRIMARY KEY,
    reference_code   text        NOT NULL UNIQUE,
    region           text        NOT NULL,
    unit             text        NOT NULL,
    category         text        NOT NULL,
    description      text        NOT NULL,          -- masked at write time
    incident_at      timestamptz,
    source           text        NOT NULL CHECK (source IN ('public', 'open311', 'registered')),
    status           text        NOT NULL CHECK (status IN ('received', 'assigned', 'under_review', 'resolved', 'forwarded_to_prosecutor')),
    outcome          text        CHECK (outcome IN ('upheld', 'not_upheld')),
    assignee         text,
    received_at      timestamptz NOT NULL,
    due_at           timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    closed_at        timestamptz,
    overdue_at       timestamptz,                   -- when ComplaintOverdue was recorded; once per complaint
    client_id        text,
    idempotency_key  text,
    synthetic        boolean     NOT NULL DEFAULT false,
    CHECK ((status = 'resolved') = (outcome IS NOT NULL))
);
CREATE UNIQUE INDEX complaints_idempotency ON complaints (client_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX complaints_region_received ON complaints (region, received_at DESC);
-- The overdue detector reads only open complaints not yet reported, by deadline.
CREATE INDEX complaints_overdue_candidates ON complaints (due_at) WHERE overdue_at IS NULL AND status IN ('received', 'assigned', 'under_review');

CREATE TABLE complaint_steps (
    id               bigserial   PRIMARY KEY,
    complaint_id     uuid        NOT NULL REFERENCES complaints (id),
    status           text        NOT NULL,
    actor            text        NOT NULL,          -- the handler (token's user or client), 'citizen' or 'system'
    reason           text,
    at               timestamptz NOT NULL
);
CREATE INDEX complaint_steps_complaint ON complaint_steps (complaint_id, id);

-- One row per unit currently below target, so an alert is raised once and raised again only after recovery.
CREATE TABLE quality_alerts (
    region           text        NOT NULL,
    unit             text        NOT NULL,
    raised_at        timestamptz NOT NULL,
    satisfied_share  double precision NOT NULL,
    responses        integer     NOT NULL,
    PRIMARY KEY (region, unit)
);

CREATE TABLE venues (
    id               uuid        PRIMARY KEY,
    name             text        NOT NULL,
    kind             text        NOT NULL,
    region           text        NOT NULL,
    settlement       text        NOT NULL,
    address          text        NOT NULL,          -- the business's public address
    latitude         double precision,
    longitude        double precision,
    active           boolean     NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL,
    synthetic        boolean     NOT NULL DEFAULT false
);
CREATE INDEX venues_region ON venues (region, name);

CREATE TABLE venue_signals (
    id               uuid        PRIMARY KEY,
    venue_id         uuid        NOT NULL REFERENCES venues (id),
    source_system    text        NOT NULL,
    call_reference   text        NOT NULL,          -- the 102 call card; no caller data
    signal_type      text        NOT NULL,
    received_at      timestamptz NOT NULL,
    UNIQUE (source_system, call_reference)
);
CREATE INDEX venue_signals_venue_received ON venue_signals (venue_id, received_at);

-- A half-year's rating as published (action plan 5.2: published every half-year); the public list reads these rows.
CREATE TABLE venue_ratings (
    period           text        NOT NULL,          -- 2025-H1
    venue_id         uuid        NOT NULL REFERENCES venues (id),
    region           text        NOT NULL,
    signals          integer     NOT NULL,
    weighted_score   double precision NOT NULL,
    grade            text        NOT NULL CHECK (grade IN ('safe', 'caution', 'unsafe')),
    rank_in_region   integer     NOT NULL,
    published_at     timestamptz NOT NULL,
    PRIMARY KEY (period, venue_id)
);
CREATE INDEX venue_ratings_region ON venue_ratings (region, period, rank_in_region);
