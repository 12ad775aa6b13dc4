-- Fast lists over 100,000 shipments: the sort indexes also hold the filter columns, so a page walks
-- one index without touching the table, and the text search has a trigram index (substring matches).

DROP INDEX shipments_by_ship_by;
DROP INDEX shipments_by_created;
CREATE INDEX shipments_by_ship_by ON shipments (seller_id, ship_by, id, status, delivery_method, city_key);
CREATE INDEX shipments_by_created ON shipments (seller_id, created_at, id, status, delivery_method, city_key);
CREATE INDEX shipments_by_city ON shipments (seller_id, city_key);

CREATE VIRTUAL TABLE shipment_search USING fts5 (
    search_text,
    content = 'shipments',
    content_rowid = 'id',
    tokenize = 'trigram'
);

CREATE TRIGGER shipment_search_insert AFTER INSERT ON shipments BEGIN
    INSERT INTO shipment_search (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER shipment_search_update AFTER UPDATE OF search_text ON shipments BEGIN
    INSERT INTO shipment_search (shipment_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO shipment_search (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER shipment_search_delete AFTER DELETE ON shipments BEGIN
    INSERT INTO shipment_search (shipment_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;

INSERT INTO shipment_search (shipment_search) VALUES ('rebuild');
