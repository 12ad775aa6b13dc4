-- Text search without touching the shipments table: the trigram index is keyed by seller and shipment,
-- so one seller's matches are a rowid range of the index, counted without a join; and every field of
-- the search text is enclosed in separators, so that a field equal to a short text is a trigram phrase.

-- A small number per seller: the high half of the search index's rowid.
CREATE TABLE seller_numbers (
    number    INTEGER PRIMARY KEY,
    seller_id TEXT NOT NULL UNIQUE REFERENCES sellers(id)
) STRICT;

INSERT INTO seller_numbers (seller_id) SELECT id FROM sellers ORDER BY rowid;

CREATE TRIGGER seller_numbers_insert AFTER INSERT ON sellers BEGIN
    INSERT INTO seller_numbers (seller_id) VALUES (new.id);
END;

DROP TRIGGER shipment_search_insert;
DROP TRIGGER shipment_search_update;
DROP TRIGGER shipment_search_delete;
DROP TABLE shipment_search;

-- Fields were separated by U+001F; now they end with it too (store::shipments::search_text).
UPDATE shipments SET search_text = search_text || char(31);

-- rowid = seller number * 2^32 + shipment id. Contentless: the text stays in `shipments`.
CREATE VIRTUAL TABLE shipment_text USING fts5 (
    search_text,
    content = '',
    tokenize = 'trigram'
);

CREATE TRIGGER shipment_text_insert AFTER INSERT ON shipments BEGIN
    SELECT RAISE(ABORT, 'shipment ids must stay below 2^32 (the search key holds the seller above them)')
    WHERE new.id >= 4294967296;
    INSERT INTO shipment_text (rowid, search_text)
    SELECT number * 4294967296 + new.id, new.search_text FROM seller_numbers WHERE seller_id = new.seller_id;
END;

CREATE TRIGGER shipment_text_update AFTER UPDATE OF search_text, seller_id ON shipments BEGIN
    INSERT INTO shipment_text (shipment_text, rowid, search_text)
    SELECT 'delete', number * 4294967296 + old.id, old.search_text FROM seller_numbers WHERE seller_id = old.seller_id;
    INSERT INTO shipment_text (rowid, search_text)
    SELECT number * 4294967296 + new.id, new.search_text FROM seller_numbers WHERE seller_id = new.seller_id;
END;

CREATE TRIGGER shipment_text_delete AFTER DELETE ON shipments BEGIN
    INSERT INTO shipment_text (shipment_text, rowid, search_text)
    SELECT 'delete', number * 4294967296 + old.id, old.search_text FROM seller_numbers WHERE seller_id = old.seller_id;
END;

INSERT INTO shipment_text (rowid, search_text)
SELECT n.number * 4294967296 + s.id, s.search_text FROM shipments s JOIN seller_numbers n ON n.seller_id = s.seller_id;

-- Searches of one or two characters match posting numbers by their first characters (the search text
-- starts with the posting number); the filter columns make the count a walk of this index alone.
CREATE INDEX shipments_by_text_head ON shipments (seller_id, substr(search_text, 1, 2), status, delivery_method, city_key);
