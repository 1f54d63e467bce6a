-- Issue 7, installation plan against actual (action plan 14.2, "carpet" coverage): cameras to be installed per year, for the
-- whole country (region 'KZ', ISO 3166-1) and, where the plan is split, per region (ISO 3166-2:KZ). Maintained through
-- PUT /api/cameras/coverage/plan/{year}/{region} by cameras.manage; actual = cameras installed in the year (installed_on).
CREATE TABLE installation_plan (
    year            integer     NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    region          text        NOT NULL CHECK (region = 'KZ' OR region ~ '^KZ-[0-9]{2}$'),
    planned_cameras integer     NOT NULL CHECK (planned_cameras >= 0),
    source          text,
    updated_by      text,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, region)
);

-- The concept's figure (Government decree No. 1233 of 29.12.2023, action plan 14.2): "установка видеокамер в регионах по
-- 20,6 тыс. ед. в год", 2024-2028. The concept does not split it by region.
INSERT INTO installation_plan (year, region, planned_cameras, source, updated_by)
SELECT y, 'KZ', 20600, 'Concept 2024-2028, action plan 14.2: 20.6 thousand cameras a year', 'migration 0008'
FROM generate_series(2024, 2028) y;

-- Actual installations per year and region: a range scan on installed_on within a region, or over all regions.
CREATE INDEX cameras_installed_on_idx ON cameras (installed_on, region) WHERE installed_on IS NOT NULL;
