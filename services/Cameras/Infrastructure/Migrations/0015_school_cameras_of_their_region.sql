-- A school counts cameras of its own region only (linking checks it, and since this version moving a camera to another
-- region unlinks it). Links left across regions by earlier moves showed another region's camera on the school's page.
UPDATE cameras c SET school_id = NULL
FROM schools s
WHERE c.school_id = s.id AND c.region <> s.region;
