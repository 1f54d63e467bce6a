-- Fixation devices (action plan 7.2, 7.3), their electronic passports (7.9) and metrological verification (поверка).

CREATE TABLE devices (
    id                      uuid PRIMARY KEY,
    kind                    text NOT NULL CHECK (kind IN ('instant_speed', 'red_light', 'stop_line', 'lane', 'section', 'mobile')),
    -- The Keycloak client (azp) of the vendor that operates the device: only that client may post its fixations.
    vendor_client_id        text NOT NULL,
    vendor                  text NOT NULL,
    model                   text NOT NULL,
    serial_number           text NOT NULL,
    approval_number         text NOT NULL,
    approval_valid_until    date NOT NULL,
    region                  text NOT NULL,
    road                    text,
    km_marker               numeric(8, 3),
    direction               text,
    location                geography(Point, 4326),
    owner                   text NOT NULL CHECK (owner IN ('akimat', 'road_authority', 'police', 'concessionaire')),
    patrol_vehicle          text,
    status                  text NOT NULL CHECK (status IN ('planned', 'installed', 'active', 'maintenance', 'decommissioned')),
    installed_on            date,
    commissioned_on         date,
    decommissioned_on       date,
    -- When the device's vendor last posted for it (our clock): what the silence detector watches.
    last_report_at          timestamptz,
    silent_since            timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    UNIQUE (vendor, serial_number),
    CHECK (kind <> 'mobile' OR patrol_vehicle IS NOT NULL),
    CHECK (kind = 'mobile' OR location IS NOT NULL)
);
CREATE INDEX devices_region ON devices (region, status);
CREATE INDEX devices_location ON devices USING gist (location) WHERE status = 'active';
-- The silence detector's scan: active devices that have reported and are not yet flagged.
CREATE INDEX devices_silence_scan ON devices ((coalesce(last_report_at, updated_at))) WHERE status = 'active' AND silent_since IS NULL;

CREATE TABLE device_verifications (
    id                  uuid PRIMARY KEY,
    device_id           uuid NOT NULL REFERENCES devices (id),
    certificate_number  text NOT NULL,
    verifying_body      text NOT NULL,
    verified_at         timestamptz NOT NULL,
    -- Exclusive: a fixation at exactly valid_until is already outside the verification.
    valid_until         timestamptz NOT NULL CHECK (valid_until > verified_at),
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (device_id, certificate_number)
);
CREATE INDEX device_verifications_device ON device_verifications (device_id, valid_until);

-- Routes a car-mounted complex worked (7.3): which roads it covered and when.
CREATE TABLE device_routes (
    id          uuid PRIMARY KEY,
    device_id   uuid NOT NULL REFERENCES devices (id),
    road        text NOT NULL,
    started_at  timestamptz NOT NULL,
    ended_at    timestamptz NOT NULL CHECK (ended_at > started_at),
    description text
);
CREATE INDEX device_routes_device ON device_routes (device_id, started_at);

-- Average-speed sections: an entry and an exit device and the road length between them.
CREATE TABLE sections (
    id                  uuid PRIMARY KEY,
    name                text NOT NULL,
    region              text NOT NULL,
    entry_device_id     uuid NOT NULL REFERENCES devices (id),
    exit_device_id      uuid NOT NULL REFERENCES devices (id),
    length_m            double precision NOT NULL CHECK (length_m > 0),
    speed_limit_kmh     integer NOT NULL CHECK (speed_limit_kmh BETWEEN 5 AND 150),
    -- Exits later than this after the entry are a different trip (a stop on the way), not a passage.
    max_travel_seconds  integer NOT NULL CHECK (max_travel_seconds > 0),
    created_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (entry_device_id <> exit_device_id),
    UNIQUE (entry_device_id, exit_device_id)
);
CREATE INDEX sections_exit ON sections (exit_device_id);
CREATE INDEX sections_entry ON sections (entry_device_id);

-- Admissibility rules are versioned: each decision stores the version in effect at the fixation's own time.
CREATE TABLE admissibility_rules (
    version                 integer PRIMARY KEY,
    effective_from          timestamptz NOT NULL UNIQUE,
    speed_tolerance_kmh     integer NOT NULL CHECK (speed_tolerance_kmh BETWEEN 0 AND 50),
    red_light_grace_ms      integer NOT NULL CHECK (red_light_grace_ms BETWEEN 0 AND 10000),
    max_plausible_speed_kmh integer NOT NULL CHECK (max_plausible_speed_kmh BETWEEN 100 AND 500),
    min_section_seconds     integer NOT NULL DEFAULT 1 CHECK (min_section_seconds >= 1),
    note                    text,
    recorded_at             timestamptz NOT NULL DEFAULT now()
);
-- The platform's baseline: 10 km/h over the limit is not prosecuted, 0.5 s of grace after the red.
INSERT INTO admissibility_rules (version, effective_from, speed_tolerance_kmh, red_light_grace_ms, max_plausible_speed_kmh, note)
VALUES (1, '2000-01-01T00:00:00Z', 10, 500, 300, 'baseline');
