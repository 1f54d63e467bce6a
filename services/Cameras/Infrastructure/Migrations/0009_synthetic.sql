-- Issue 7, seed-data command (`PublicSafety.Cameras seed`): rows of the synthetic national dataset carry synthetic = true, so that
-- they can never be mistaken for, or mixed unnoticed with, a real inventory; synthetic_datasets records each load (and makes
-- a second load a no-op).
ALTER TABLE cameras           ADD COLUMN synthetic boolean NOT NULL DEFAULT false;
ALTER TABLE settlements       ADD COLUMN synthetic boolean NOT NULL DEFAULT false;
ALTER TABLE crime_prone_sites ADD COLUMN synthetic boolean NOT NULL DEFAULT false;
ALTER TABLE schools           ADD COLUMN synthetic boolean NOT NULL DEFAULT false;

CREATE TABLE synthetic_datasets (
    name        text        PRIMARY KEY,
    version     integer     NOT NULL,
    settlements integer     NOT NULL,
    cameras     integer     NOT NULL,
    schools     integer     NOT NULL,
    sites       integer     NOT NULL,
    loaded_at   timestamptz NOT NULL
);
