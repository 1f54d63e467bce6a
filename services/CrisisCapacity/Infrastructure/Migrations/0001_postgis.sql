-- Spatial search (DESIGN §4: no NetTopologySuite for EF 10, so geometry is PostGIS SQL).
-- Where the service's role may not create extensions, the database's administrator creates it beforehand and this is a no-op.
CREATE EXTENSION IF NOT EXISTS postgis;
