-- Counting a filtered list reads one index alone: each filter column leads an index that also holds
-- the other two, so status, delivery method and city, alone or together, never reach the table.

DROP INDEX shipments_by_status;
DROP INDEX shipments_by_city;
CREATE INDEX shipments_by_status ON shipments (seller_id, status, delivery_method, city_key);
CREATE INDEX shipments_by_city ON shipments (seller_id, city_key, status, delivery_method);
CREATE INDEX shipments_by_delivery ON shipments (seller_id, delivery_method, status, city_key);
