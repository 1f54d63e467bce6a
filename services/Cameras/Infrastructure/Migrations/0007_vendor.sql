-- Issue 7, vendor ingest: the Keycloak client id (azp) of the vendor system that reports a camera's heartbeats. A caller with
-- only cameras.ingest may report for the cameras whose vendor_client_id is its own client id, and for no other.
ALTER TABLE cameras ADD COLUMN vendor_client_id text;

-- A vendor's cameras (the registry filter ?vendorClientId=); most cameras have none, so a partial index stays small.
CREATE INDEX cameras_vendor_idx ON cameras (vendor_client_id, id) WHERE vendor_client_id IS NOT NULL;
