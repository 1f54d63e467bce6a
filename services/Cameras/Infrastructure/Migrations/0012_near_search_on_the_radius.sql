-- A camera exactly on the radius is found (the search is inclusive): migration 0010 kept candidates by ST_DWithin on the
-- spheroid, whose own distance can differ from ST_Distance's in the last digits (about 1e-8 m), so a camera whose reported
-- distance equalled the radius was sometimes left out. The answer is now decided by the distance it reports, computed once
-- per candidate. Everything else is as in 0010.
CREATE OR REPLACE FUNCTION cameras_near(
    p_lon double precision, p_lat double precision, p_radius double precision,
    p_kinds text[], p_statuses text[], p_region text, p_limit integer)
RETURNS TABLE (camera_id uuid, distance double precision)
LANGUAGE sql STABLE PARALLEL SAFE
SET enable_bitmapscan = off
AS $$
    WITH p AS (SELECT ST_SetSRID(ST_MakePoint(p_lon, p_lat), 4326)::geography AS g)
    SELECT k.id, k.d
    FROM (
        SELECT c.id, ST_Distance(c.location, p.g) AS d
        FROM p, LATERAL (
            SELECT c.id, c.location
            FROM cameras c
            WHERE ST_DWithin(c.location, p.g, p_radius * 1.01, false)
              AND (cardinality(p_kinds) = 0 OR c.kind = ANY (p_kinds))
              AND (cardinality(p_statuses) = 0 OR c.status = ANY (p_statuses))
              AND (p_region IS NULL OR c.region = p_region)
            ORDER BY c.location <-> p.g
            LIMIT 2 * p_limit + 16) c) k
    WHERE k.d <= p_radius
    ORDER BY k.d, k.id
    LIMIT p_limit
$$;
