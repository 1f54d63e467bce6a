-- ASP.NET Core Data Protection's key ring (ServiceDefaults/Data/DatabaseKeyRing.cs), shared by a service's replicas so that
-- what one replica protects (an antiforgery token in a form) another can read. Elements are only ever added.
CREATE TABLE data_protection_keys (
    name       text        PRIMARY KEY,
    xml        text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
