-- The reference backend's storage. Times are Unix milliseconds (UTC), so that they sort as numbers.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE sellers (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;

CREATE TABLE products (
    seller_id TEXT NOT NULL REFERENCES sellers(id),
    sku       TEXT NOT NULL,
    name      TEXT NOT NULL,
    archived  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (seller_id, sku)
) STRICT;

CREATE TABLE stock (
    seller_id    TEXT NOT NULL,
    sku          TEXT NOT NULL,
    warehouse_id TEXT NOT NULL,
    quantity     INTEGER NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (seller_id, sku, warehouse_id),
    FOREIGN KEY (seller_id, sku) REFERENCES products(seller_id, sku)
) STRICT;

CREATE TABLE shipments (
    id              INTEGER PRIMARY KEY,
    seller_id       TEXT NOT NULL REFERENCES sellers(id),
    posting_number  TEXT NOT NULL UNIQUE,
    order_number    TEXT NOT NULL,
    status          TEXT NOT NULL,
    delivery_method TEXT NOT NULL,
    provider        TEXT,
    country         TEXT NOT NULL,
    city            TEXT NOT NULL,
    -- Lower-cased city, for the case-insensitive city filter.
    city_key        TEXT NOT NULL,
    warehouse_id    TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    ship_by         INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    -- The latest cancellation (the one the wire shows); older ones stay in `cancellations`.
    cancellation_id INTEGER REFERENCES cancellations(id),
    -- Lower-cased posting number, order number, product names and SKUs, for the text search.
    search_text     TEXT NOT NULL,
    -- How the simulated provider answers a cancellation request (fixture `provider_decision`).
    decision          TEXT,
    decision_after_ms INTEGER,
    decision_message  TEXT
) STRICT;

CREATE INDEX shipments_by_ship_by ON shipments (seller_id, ship_by, id);
CREATE INDEX shipments_by_created ON shipments (seller_id, created_at, id);
CREATE INDEX shipments_by_status ON shipments (seller_id, status);

CREATE TABLE shipment_lines (
    shipment_id INTEGER NOT NULL REFERENCES shipments(id),
    line_no     INTEGER NOT NULL,
    sku         TEXT NOT NULL,
    name        TEXT NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    price       TEXT NOT NULL,
    currency    TEXT NOT NULL,
    PRIMARY KEY (shipment_id, line_no)
) STRICT;

CREATE TABLE cancellations (
    id               INTEGER PRIMARY KEY,
    shipment_id      INTEGER NOT NULL REFERENCES shipments(id),
    state            TEXT NOT NULL,
    reason           TEXT,
    comment          TEXT,
    initiator        TEXT NOT NULL,
    requested_at     INTEGER NOT NULL,
    decided_at       INTEGER,
    provider_message TEXT
) STRICT;

CREATE INDEX cancellations_by_shipment ON cancellations (shipment_id);

-- Requests waiting for the simulated provider; a row disappears when the provider answers.
CREATE TABLE provider_requests (
    cancellation_id INTEGER PRIMARY KEY REFERENCES cancellations(id),
    due_at          INTEGER NOT NULL,
    decision        TEXT NOT NULL,
    message         TEXT
) STRICT;

CREATE INDEX provider_requests_by_due ON provider_requests (due_at);

-- The stored outcome of each intent, so that a replay answers the same and never acts twice.
CREATE TABLE idempotency (
    seller_id    TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (seller_id, key)
) STRICT;

CREATE TABLE geography_exclusions (
    seller_id  TEXT NOT NULL REFERENCES sellers(id),
    country    TEXT NOT NULL,
    city       TEXT NOT NULL,
    city_key   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (seller_id, country, city_key)
) STRICT;
