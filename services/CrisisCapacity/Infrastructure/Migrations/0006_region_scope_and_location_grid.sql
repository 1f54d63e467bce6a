-- Issue 17. Where a caller may not see a centre's address, searches place the centre at the middle of its grid cell
-- (Model/LocationGrid.cs, README "Location grid"): rows cell_m of latitude high from the equator, each cut into columns
-- cell_m wide at the row's middle latitude from Greenwich. A pure function of the position, so it is the same on every
-- probe: averaging or bisecting gains nothing inside a cell.
CREATE FUNCTION location_grid_cell(location geography, cell_m double precision) RETURNS geography
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT ST_SetSRID(ST_MakePoint((floor(r.lon / (cell_m / (111320 * cos(radians(r.lat))))) + 0.5)
                                   * (cell_m / (111320 * cos(radians(r.lat)))), r.lat), 4326)::geography
    FROM (SELECT (floor(ST_Y(location::geometry) / (cell_m / 111320)) + 0.5) * (cell_m / 111320) AS lat,
                 ST_X(location::geometry) AS lon) r
$$;

-- 5000 m: LocationGrid.CellMeters says the same.
ALTER TABLE facilities ADD COLUMN grid_location geography(Point, 4326) GENERATED ALWAYS AS (location_grid_cell(location, 5000)) STORED;

-- A search that finds nothing is not a refusal, and anyone with crisis.read could send thousands: only refused holds
-- and admissions are recorded from now on. Earlier search rows stay as history; the analytics no longer read them.
ALTER TABLE turned_away DROP CONSTRAINT turned_away_source_check;
ALTER TABLE turned_away ADD CONSTRAINT turned_away_source_check CHECK (source IN ('reservation', 'admission')) NOT VALID;
