-- The minimal camera registry that spatial search over gRPC needs (issue 4); issue 7 extends it (sites, owners, capabilities,
-- lifecycle history, stream endpoints).
CREATE TABLE cameras (
    id         uuid                   PRIMARY KEY,
    name       text,
    kind       text                   NOT NULL CHECK (kind IN ('fixed', 'ptz', 'body_worn')),
    status     text                   NOT NULL CHECK (status IN ('planned', 'installed', 'active', 'maintenance', 'decommissioned')),
    region     text                   NOT NULL,
    location   geography(Point, 4326) NOT NULL,
    created_at timestamptz            NOT NULL DEFAULT now()
);

CREATE INDEX cameras_location_idx ON cameras USING gist (location);
CREATE INDEX cameras_region_id_idx ON cameras (region, id);
