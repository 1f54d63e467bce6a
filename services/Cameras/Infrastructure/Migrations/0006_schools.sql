-- Issue 7, school security systems (action plan 14.1): per school its cameras, panic button and guard, each with a status.
CREATE TABLE schools (
    id           uuid        PRIMARY KEY,
    region       text        NOT NULL,
    settlement   text,
    name         text        NOT NULL,
    address      text,
    panic_button text        NOT NULL CHECK (panic_button IN ('missing', 'working', 'faulty')),
    guard        text        NOT NULL CHECK (guard IN ('missing', 'posted', 'vacant')),
    updated_at   timestamptz NOT NULL
);

CREATE INDEX schools_region_idx ON schools (region, id);

ALTER TABLE cameras ADD COLUMN school_id uuid REFERENCES schools (id) ON DELETE SET NULL;
CREATE INDEX cameras_school_idx ON cameras (school_id) WHERE school_id IS NOT NULL;
