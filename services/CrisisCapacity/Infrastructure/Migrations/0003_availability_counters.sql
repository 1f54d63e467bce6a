-- Search speed (bench/crisis-capacity): the view summed placements and holds for every category it looked at. Counters
-- on the category row, changed only under that row's lock in the transaction that changes a hold or a placement, make
-- availability a column read. The CHECK is the database's own guard against overbooking: no transaction can commit
-- more beds in use than usable, whatever the code above it does.
ALTER TABLE bed_categories
    ADD COLUMN occupied integer NOT NULL DEFAULT 0 CHECK (occupied >= 0),
    ADD COLUMN reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0);

-- Holds past their expiry that the sweeper has not marked yet stop counting now, as before.
UPDATE reservations SET status = 'expired' WHERE status = 'held' AND expires_at <= now();

UPDATE bed_categories b SET
    occupied = (SELECT COALESCE(sum(p.beds), 0) FROM placements p
                WHERE p.facility_id = b.facility_id AND p.category = b.category AND p.discharged_at IS NULL),
    reserved = (SELECT COALESCE(sum(r.beds), 0) FROM reservations r
                WHERE r.facility_id = b.facility_id AND r.category = b.category AND r.status = 'held');

ALTER TABLE bed_categories ADD CONSTRAINT bed_categories_no_overbooking CHECK (occupied + reserved <= total - out_of_service);

-- reserved counts holds with status 'held'; a hold past its expiry stops counting at once, before anyone marks it.
CREATE OR REPLACE VIEW bed_availability AS
SELECT b.facility_id, b.category, b.total, b.out_of_service, b.occupied,
       (b.reserved - COALESCE(l.beds, 0))::integer AS reserved,
       (b.total - b.out_of_service - b.occupied - b.reserved + COALESCE(l.beds, 0))::integer AS available
FROM bed_categories b
LEFT JOIN (SELECT facility_id, category, sum(beds)::integer AS beds FROM reservations
           WHERE status = 'held' AND expires_at <= now() GROUP BY facility_id, category) l
       ON l.facility_id = b.facility_id AND l.category = b.category;
