-- Road accidents (ДТП), region population for the deaths-per-100,000 indicator.

CREATE TABLE accidents (
    id          uuid PRIMARY KEY,
    external_id text UNIQUE,
    occurred_at timestamptz NOT NULL,
    region      text NOT NULL,
    road        text,
    km_marker   numeric(8, 3),
    location    geography(Point, 4326) NOT NULL,
    deaths      integer NOT NULL CHECK (deaths >= 0),
    injuries    integer NOT NULL CHECK (injuries >= 0),
    cause       text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
-- Hotspots read accidents with casualties in a time window; the indicator sums deaths by region and year.
CREATE INDEX accidents_casualties_time ON accidents (occurred_at) INCLUDE (region, deaths, injuries) WHERE deaths + injuries > 0;
CREATE INDEX accidents_region_time ON accidents (region, occurred_at);

CREATE TABLE region_population (
    region      text NOT NULL,
    year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    population  integer NOT NULL CHECK (population > 0),
    source      text NOT NULL,
    PRIMARY KEY (region, year)
);
