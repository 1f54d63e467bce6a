-- Issue 7, coverage: settlements with their population (for cameras per 100 residents against the 15-per-100 target of
-- action plan 14.2) and designated crime-prone sites (task 5) that should have an active camera nearby.
CREATE TABLE settlements (
    region     text        NOT NULL,
    name       text        NOT NULL,
    population integer     NOT NULL CHECK (population > 0),
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (region, name)
);

CREATE TABLE crime_prone_sites (
    id          uuid                   PRIMARY KEY,
    region      text                   NOT NULL,
    name        text                   NOT NULL,
    location    geography(Point, 4326) NOT NULL,
    designated_at timestamptz          NOT NULL
);

CREATE INDEX crime_prone_sites_region_idx ON crime_prone_sites (region, id);
-- Coverage counts active cameras per settlement.
CREATE INDEX cameras_active_settlement_idx ON cameras (region, settlement) WHERE status = 'active';
