-- Fixations posted by vendors, the violations they give and the average-speed passages matched from them.

CREATE TABLE fixations (
    id              uuid PRIMARY KEY,
    device_id       uuid NOT NULL REFERENCES devices (id),
    device_sequence bigint NOT NULL,
    occurred_at     timestamptz NOT NULL,
    received_at     timestamptz NOT NULL,
    -- Personal data: returned only to roadsafety.read, never logged, never in events.
    plate           text NOT NULL,
    speed_kmh       integer,
    limit_kmh       integer,
    lane            smallint,
    violation_code  text,
    red_elapsed_ms  integer,
    evidence        jsonb NOT NULL DEFAULT '[]',
    outcome         text NOT NULL CHECK (outcome IN ('accepted', 'inadmissible')),
    reason          text,
    rule_version    integer NOT NULL REFERENCES admissibility_rules (version),
    region          text NOT NULL,
    -- The key of deduplication: a retried batch inserts nothing new.
    UNIQUE (device_id, device_sequence)
);
CREATE INDEX fixations_device_time ON fixations (device_id, occurred_at);
-- Section matching: the same plate on the other device of a pair within the travel window.
CREATE INDEX fixations_plate ON fixations (device_id, plate, occurred_at);

CREATE TABLE violations (
    id                  uuid PRIMARY KEY,
    kind                text NOT NULL CHECK (kind IN ('instant', 'section')),
    fixation_id         uuid NOT NULL REFERENCES fixations (id),
    entry_fixation_id   uuid REFERENCES fixations (id),
    section_id          uuid REFERENCES sections (id),
    device_id           uuid NOT NULL REFERENCES devices (id),
    region              text NOT NULL,
    violation_code      text NOT NULL,
    occurred_at         timestamptz NOT NULL,
    measured_speed_kmh  double precision,
    limit_kmh           integer,
    rule_version        integer NOT NULL REFERENCES admissibility_rules (version),
    recorded_at         timestamptz NOT NULL,
    UNIQUE (fixation_id, kind)
);
CREATE INDEX violations_device_time ON violations (device_id, occurred_at);
CREATE INDEX violations_region_time ON violations (region, occurred_at);

CREATE TABLE section_passages (
    id                  uuid PRIMARY KEY,
    section_id          uuid NOT NULL REFERENCES sections (id),
    entry_fixation_id   uuid NOT NULL UNIQUE REFERENCES fixations (id),
    exit_fixation_id    uuid NOT NULL UNIQUE REFERENCES fixations (id),
    entry_at            timestamptz NOT NULL,
    exit_at             timestamptz NOT NULL,
    travel_seconds      double precision NOT NULL,
    average_speed_kmh   double precision NOT NULL,
    outcome             text NOT NULL CHECK (outcome IN ('within_limit', 'violation', 'inadmissible')),
    reason              text,
    rule_version        integer NOT NULL REFERENCES admissibility_rules (version),
    matched_at          timestamptz NOT NULL
);
CREATE INDEX section_passages_section ON section_passages (section_id, matched_at);

-- Per device and day, kept by ingestion in the batch's transaction: the indicators read these, never the fixations.
CREATE TABLE device_daily_counts (
    device_id   uuid NOT NULL REFERENCES devices (id),
    day         date NOT NULL,
    fixations   integer NOT NULL DEFAULT 0,
    violations  integer NOT NULL DEFAULT 0,
    PRIMARY KEY (device_id, day)
);

-- Silences found by the detector; an open one (until NULL) ends with the device's next fixation. Uptime reads these.
CREATE TABLE device_silences (
    id          uuid PRIMARY KEY,
    device_id   uuid NOT NULL REFERENCES devices (id),
    silent_from timestamptz NOT NULL,
    silent_until timestamptz
);
CREATE INDEX device_silences_device ON device_silences (device_id, silent_from);
CREATE UNIQUE INDEX device_silences_open ON device_silences (device_id) WHERE silent_until IS NULL;
