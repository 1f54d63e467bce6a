-- Crisis centres and ЦВАД (issue 6): facilities, beds by category, reservations (holds), placements, turned-away requests.
-- Availability is derived, never stored: total - out_of_service - occupied (open placements) - reserved (live holds),
-- so it cannot drift from the reservations and placements it is made of (view bed_availability).
CREATE TABLE facilities (
    id                   uuid                   PRIMARY KEY,
    kind                 text                   NOT NULL CHECK (kind IN ('crisis_centre_state', 'crisis_centre_ngo', 'detox_centre')),
    name                 text                   NOT NULL,
    region               text                   NOT NULL,
    settlement           text                   NOT NULL,
    location             geography(Point, 4326) NOT NULL,
    -- Confidential: returned only to crisis.placement / crisis.manage, never logged, never in events.
    confidential_address text                   NOT NULL,
    contact_phone        text,
    contact_email        text,
    psychologist         boolean                NOT NULL DEFAULT false,
    lawyer               boolean                NOT NULL DEFAULT false,
    medical_care         boolean                NOT NULL DEFAULT false,
    accepts_children     boolean                NOT NULL DEFAULT false,
    accessible           boolean                NOT NULL DEFAULT false,
    open_at_night        boolean                NOT NULL DEFAULT false,
    synthetic            boolean                NOT NULL DEFAULT false,
    created_at           timestamptz            NOT NULL DEFAULT now(),
    updated_at           timestamptz            NOT NULL DEFAULT now()
);

CREATE INDEX facilities_location_idx ON facilities USING gist (location);
CREATE INDEX facilities_region_idx ON facilities (region, id);

-- One row per facility and category; reservations and placements lock it (FOR UPDATE), which serialises every change
-- to that category's availability and so makes overbooking impossible.
CREATE TABLE bed_categories (
    facility_id    uuid    NOT NULL REFERENCES facilities (id) ON DELETE CASCADE,
    category       text    NOT NULL CHECK (category IN ('women', 'women_with_children', 'men', 'minors', 'detox')),
    total          integer NOT NULL CHECK (total >= 0),
    out_of_service integer NOT NULL CHECK (out_of_service >= 0 AND out_of_service <= total),
    PRIMARY KEY (facility_id, category)
);

CREATE TABLE reservations (
    id              uuid        PRIMARY KEY,
    facility_id     uuid        NOT NULL,
    category        text        NOT NULL,
    case_code       text        NOT NULL,
    beds            integer     NOT NULL CHECK (beds BETWEEN 1 AND 12),
    idempotency_key text        NOT NULL,
    client_id       text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    status          text        NOT NULL CHECK (status IN ('held', 'converted', 'expired', 'released')),
    FOREIGN KEY (facility_id, category) REFERENCES bed_categories (facility_id, category) ON DELETE CASCADE
);

CREATE UNIQUE INDEX reservations_idempotency_idx ON reservations (client_id, idempotency_key);
CREATE INDEX reservations_held_idx ON reservations (facility_id, category) WHERE status = 'held';
CREATE INDEX reservations_expiry_idx ON reservations (expires_at) WHERE status = 'held';

CREATE TABLE placements (
    id               uuid        PRIMARY KEY,
    reservation_id   uuid        UNIQUE REFERENCES reservations (id),
    facility_id      uuid        NOT NULL,
    category         text        NOT NULL,
    case_code        text        NOT NULL,
    beds             integer     NOT NULL CHECK (beds >= 1),
    children_ages    integer[]   NOT NULL DEFAULT '{}',
    admitted_at      timestamptz NOT NULL DEFAULT now(),
    discharged_at    timestamptz,
    discharge_reason text,
    FOREIGN KEY (facility_id, category) REFERENCES bed_categories (facility_id, category) ON DELETE CASCADE
);

CREATE INDEX placements_open_idx ON placements (facility_id, category) WHERE discharged_at IS NULL;

-- A search or reservation that found no bed: the evidence for deficit analytics.
CREATE TABLE turned_away (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region      text,
    category    text,
    beds        integer     NOT NULL,
    source      text        NOT NULL CHECK (source IN ('search', 'reservation')),
    occurred_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX turned_away_region_idx ON turned_away (region, occurred_at);

-- Holds past their expiry count as free at once (the sweeper marks them expired later).
CREATE VIEW bed_availability AS
SELECT b.facility_id, b.category, b.total, b.out_of_service, o.occupied, r.reserved,
       b.total - b.out_of_service - o.occupied - r.reserved AS available
FROM bed_categories b
CROSS JOIN LATERAL (SELECT COALESCE(sum(p.beds), 0)::integer AS occupied FROM placements p
                    WHERE p.facility_id = b.facility_id AND p.category = b.category AND p.discharged_at IS NULL) o
CROSS JOIN LATERAL (SELECT COALESCE(sum(h.beds), 0)::integer AS reserved FROM reservations h
                    WHERE h.facility_id = b.facility_id AND h.category = b.category AND h.status = 'held' AND h.expires_at > now()) r;
