-- Electronic monitoring (issue 9): monitored persons, devices, rules, telemetry, violations, officer alerts, audit.

-- Identity fields (full_name, national_id, birth_date) are restricted: only the supervising officer sees them; they are
-- never logged and never in events, which carry the pseudonymous reference only.
CREATE TABLE persons (
    id                  uuid        PRIMARY KEY,
    reference           text        NOT NULL UNIQUE,
    category            text        NOT NULL CHECK (category IN ('parolee', 'administrative_supervision', 'house_arrest')),
    region              text        NOT NULL,
    officer_subject     text        NOT NULL,
    court_order         text        NOT NULL,
    full_name           text        NOT NULL,
    national_id         text,
    birth_date          date,
    supervision_start   timestamptz NOT NULL,
    supervision_end     timestamptz NOT NULL CHECK (supervision_end > supervision_start),
    positions_purged_at timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX persons_officer_idx ON persons (officer_subject, id);
CREATE INDEX persons_region_idx ON persons (region, id);
CREATE INDEX persons_retention_idx ON persons (supervision_end) WHERE positions_purged_at IS NULL;

-- Bracelets and base units. A vendor (its Keycloak client id) reports only for its own devices, by its serial.
-- last_contact_at: any batch from the device; last_fix_at: its newest position. A device in contact without fixes is stale.
CREATE TABLE devices (
    id                uuid        PRIMARY KEY,
    vendor            text        NOT NULL,
    serial            text        NOT NULL,
    kind              text        NOT NULL CHECK (kind IN ('bracelet', 'base_unit')),
    region            text        NOT NULL,
    status            text        NOT NULL CHECK (status IN ('in_stock', 'assigned', 'lost', 'faulty', 'returned')),
    firmware          text,
    battery_percent   smallint,
    charging          boolean     NOT NULL DEFAULT false,
    last_charging_at  timestamptz,
    low_battery_since timestamptz,
    last_contact_at   timestamptz,
    last_fix_at       timestamptz,
    person_id         uuid        REFERENCES persons (id),
    assigned_at       timestamptz,
    -- What the detectors last reported, so a silent device or a low battery is one violation, not one per sweep.
    no_fix_reported_for  timestamptz,
    battery_reported_for timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (vendor, serial),
    CHECK ((status = 'assigned') = (person_id IS NOT NULL))
);
CREATE INDEX devices_person_idx ON devices (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX devices_region_idx ON devices (region, status, id);
CREATE INDEX devices_fix_idx ON devices (coalesce(last_fix_at, assigned_at)) WHERE status = 'assigned' AND kind = 'bracelet';
CREATE INDEX devices_low_battery_idx ON devices (low_battery_since) WHERE low_battery_since IS NOT NULL;

CREATE TABLE device_assignments (
    id          uuid        PRIMARY KEY,
    device_id   uuid        NOT NULL REFERENCES devices (id),
    person_id   uuid        NOT NULL REFERENCES persons (id),
    assigned_at timestamptz NOT NULL,
    assigned_by text        NOT NULL,
    ended_at    timestamptz,
    end_status  text
);
CREATE INDEX device_assignments_device_idx ON device_assignments (device_id, assigned_at);
CREATE INDEX device_assignments_person_idx ON device_assignments (person_id, assigned_at);

-- Circles: an inclusion zone (home; curfews = local-time windows during which the person must be inside) or an
-- exclusion zone (radius = inner ring, outer_radius = outer ring). Geometry is tested in C#, not PostGIS, per position.
CREATE TABLE zones (
    id           uuid        PRIMARY KEY,
    person_id    uuid        NOT NULL REFERENCES persons (id),
    kind         text        NOT NULL CHECK (kind IN ('inclusion', 'exclusion')),
    name         text        NOT NULL,
    latitude     float8      NOT NULL,
    longitude    float8      NOT NULL,
    radius       float8      NOT NULL CHECK (radius > 0),
    outer_radius float8      CHECK (outer_radius IS NULL OR outer_radius > radius),
    curfews      jsonb       NOT NULL DEFAULT '[]',
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'exclusion') = (outer_radius IS NOT NULL))
);
CREATE INDEX zones_person_idx ON zones (person_id);

-- Approved absences from curfew (work, medical, court).
CREATE TABLE schedule_exceptions (
    id          uuid        PRIMARY KEY,
    person_id   uuid        NOT NULL REFERENCES persons (id),
    reason      text        NOT NULL CHECK (reason IN ('work', 'medical', 'court', 'other')),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL CHECK (ends_at > starts_at),
    approved_by text        NOT NULL,
    note        text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schedule_exceptions_person_idx ON schedule_exceptions (person_id, ends_at);

-- While in custody (detention, hospital under guard) violations are recorded as suppressed: no alert, no event.
CREATE TABLE custody_periods (
    id          uuid        PRIMARY KEY,
    person_id   uuid        NOT NULL REFERENCES persons (id),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz CHECK (ends_at IS NULL OR ends_at > starts_at),
    recorded_by text        NOT NULL,
    note        text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX custody_periods_person_idx ON custody_periods (person_id, starts_at);

-- Raw positions. The key deduplicates (device, fix time) and serves history reads by (person, fix time).
-- state: the evaluator's state after this fix, so a late fix replays from the fix before it (PositionEvaluator).
CREATE TABLE positions (
    person_id   uuid        NOT NULL,
    fix_time    timestamptz NOT NULL,
    device_id   uuid        NOT NULL,
    latitude    float8      NOT NULL,
    longitude   float8      NOT NULL,
    accuracy    real        NOT NULL,
    speed       real,
    received_at timestamptz NOT NULL,
    state       bytea       NOT NULL,
    PRIMARY KEY (person_id, fix_time, device_id)
) WITH (fillfactor = 100);

CREATE TABLE device_events (
    device_id   uuid        NOT NULL,
    at          timestamptz NOT NULL,
    kind        text        NOT NULL,
    person_id   uuid,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (device_id, at, kind)
);

-- One row per person, locked by ingestion (in person id order): several replicas never evaluate one person at once.
-- watermark: newest evaluated fix; away_since: since when the person is confirmed outside a zone with a curfew;
-- curfew_due_at: when the curfew sweeper must look at a person who is away (now, or the next window's start).
CREATE TABLE person_state (
    person_id  uuid        PRIMARY KEY REFERENCES persons (id),
    watermark  timestamptz,
    state      bytea       NOT NULL DEFAULT '\x00',
    away_since timestamptz,
    curfew_due_at timestamptz,
    last_latitude  float8,
    last_longitude float8,
    last_accuracy  real
);
CREATE INDEX person_state_curfew_idx ON person_state (curfew_due_at) WHERE curfew_due_at IS NOT NULL;

-- episode_key identifies a violation across retries, duplicates and late batches (ViolationWriter).
CREATE TABLE violations (
    id           uuid        PRIMARY KEY,
    person_id    uuid        NOT NULL REFERENCES persons (id),
    kind         text        NOT NULL,
    severity     text        NOT NULL,
    episode_key  text        NOT NULL,
    zone_id      uuid,
    device_id    uuid,
    started_at   timestamptz NOT NULL,
    detected_at  timestamptz NOT NULL,
    received_at  timestamptz,
    latitude     float8,
    longitude    float8,
    evidence     jsonb       NOT NULL DEFAULT '[]',
    suppressed   boolean     NOT NULL DEFAULT false,
    event_id     uuid,
    UNIQUE (person_id, kind, episode_key)
);
CREATE INDEX violations_person_idx ON violations (person_id, started_at);
CREATE INDEX violations_zone_idx ON violations (person_id, kind, zone_id, started_at);

CREATE TABLE alerts (
    id               uuid        PRIMARY KEY,
    violation_id     uuid        NOT NULL UNIQUE REFERENCES violations (id),
    person_id        uuid        NOT NULL REFERENCES persons (id),
    officer_subject  text        NOT NULL,
    region           text        NOT NULL,
    kind             text        NOT NULL,
    severity         text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
    created_at       timestamptz NOT NULL,
    acknowledged_at  timestamptz,
    acknowledged_by  text,
    resolved_at      timestamptz,
    resolved_by      text,
    resolution_note  text,
    escalated_at     timestamptz,
    duty_unit        text,
    latitude         float8,
    longitude        float8,
    cameras_status   text        NOT NULL CHECK (cameras_status IN ('pending', 'attached', 'unavailable', 'not_applicable')),
    cameras          jsonb       NOT NULL DEFAULT '[]',
    cameras_claimed_until timestamptz
);
CREATE INDEX alerts_officer_idx ON alerts (officer_subject, status, created_at DESC);
CREATE INDEX alerts_region_idx ON alerts (region, created_at DESC);
CREATE INDEX alerts_escalation_idx ON alerts (created_at) WHERE status = 'open' AND escalated_at IS NULL;
CREATE INDEX alerts_cameras_idx ON alerts (created_at) WHERE cameras_status = 'pending';

-- Every read of a location history: who, when, whose, why (the reason is required).
CREATE TABLE location_reads (
    id         uuid        PRIMARY KEY,
    person_id  uuid        NOT NULL REFERENCES persons (id),
    reader     text        NOT NULL,
    reason     text        NOT NULL,
    range_from timestamptz NOT NULL,
    range_to   timestamptz NOT NULL,
    read_at    timestamptz NOT NULL,
    positions  integer     NOT NULL
);
CREATE INDEX location_reads_person_idx ON location_reads (person_id, read_at);

CREATE TABLE check_ins (
    id              uuid        PRIMARY KEY,
    person_id       uuid        NOT NULL REFERENCES persons (id),
    officer_subject text        NOT NULL,
    unit            text        NOT NULL,
    checked_in_at   timestamptz NOT NULL,
    survey_consent  boolean     NOT NULL,
    idempotency_key text        UNIQUE
);
CREATE INDEX check_ins_person_idx ON check_ins (person_id, checked_in_at);
