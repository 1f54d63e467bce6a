-- What set a violation off when its kind alone does not say: for tamper, the device event (strap_tamper, case_opened,
-- gps_jamming, bracelet_gone). Copied onto the alert like kind and severity, for the inbox and the escalation.
ALTER TABLE violations ADD COLUMN cause text;
ALTER TABLE alerts ADD COLUMN cause text;
