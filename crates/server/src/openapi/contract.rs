//! What the handlers' annotations can't say, added to the generated document: the limits, patterns
//! and required headers the server enforces, every status each operation can answer with the
//! problem codes it can carry, the links between operations, and examples.
//!
//! Every limit comes from `domain::limits` (or the rules crate's own constants), the very values the
//! server validates with; every problem code is a `ProblemCode`. A schema or operation named here
//! that the generated document lacks is a bug found at start-up (and by the API tests), not a
//! silent gap. The contract suite (`cargo xtask test contract`) checks the server against the
//! result with Schemathesis.

use domain::api::list as names;
use domain::limits::{self, pattern};
use domain::{
    BlockedCode, DeliveryMethod, MAX_COMMENT_CHARS, ProblemCode, Scope, Sort, SortKey, SortOrder,
    Status, eligibility,
};
use serde_json::{Map, Value, json};

use crate::app::BODY_LIMIT;

/// The operations, by method and path (under `/api/v1`), with their operation ids.
const OPERATIONS: &[(&str, &str, &str)] = &[
    ("get", "/config", "getConfig"),
    ("post", "/dev/session", "createDevSession"),
    (
        "post",
        "/dev/shipments/{posting_number}/status",
        "changeStatus",
    ),
    (
        "post",
        "/dev/shipments/{posting_number}/provider-decision",
        "decideProviderRequest",
    ),
    ("get", "/events", "streamEvents"),
    ("get", "/shipments", "listShipments"),
    ("get", "/providers", "listProviders"),
    ("post", "/shipments/cancel", "cancelShipments"),
    (
        "post",
        "/shipments/remove-product/precheck",
        "precheckProductRemoval",
    ),
    ("post", "/shipments/remove-product", "removeProduct"),
    ("get", "/shipments/{posting_number}", "getShipment"),
    (
        "post",
        "/shipments/{posting_number}/cancel",
        "cancelShipment",
    ),
    ("post", "/shipments/{posting_number}/split", "splitShipment"),
    (
        "post",
        "/shipments/{posting_number}/cancel-items",
        "cancelShipmentItems",
    ),
    ("get", "/products/{sku}", "getProduct"),
    ("put", "/products/{sku}/stock", "setStock"),
    ("post", "/products/{sku}/archive", "archiveProduct"),
    ("get", "/delivery-geography", "getDeliveryGeography"),
    ("post", "/delivery-geography/exclusions", "addExclusion"),
    (
        "delete",
        "/delivery-geography/exclusions/{country}/{city}",
        "removeExclusion",
    ),
    ("get", "/metrics/cancellation-rate", "getCancellationRate"),
];

const COMMENT_CODES: [ProblemCode; 4] = [
    ProblemCode::CommentRequired,
    ProblemCode::CommentTooLong,
    ProblemCode::CommentControlCharacters,
    ProblemCode::CommentInvisibleCharacters,
];

/// The problems an operation answers beyond those its shape implies (see [`generic_problems`]).
fn specific_problems(operation_id: &str) -> Vec<(u16, Vec<ProblemCode>)> {
    use ProblemCode as P;
    let rules: Vec<ProblemCode> = BlockedCode::ALL
        .iter()
        .map(|&code| P::from(code))
        .chain([P::ReasonNotOffered])
        .chain(COMMENT_CODES)
        .collect();
    match operation_id {
        "createDevSession" => vec![(404, vec![P::NotFound])],
        "changeStatus" => vec![(422, vec![P::AlreadyCancelled, P::StatusChangeNotAllowed])],
        "decideProviderRequest" | "addExclusion" => vec![(422, vec![P::TextInvisibleCharacters])],
        // No query parameter is taken (a token in the URL is refused); too many open streams.
        "streamEvents" => vec![
            (400, vec![P::MalformedRequest]),
            (429, vec![P::TooManyRequests]),
        ],
        "cancelShipment" => vec![(412, vec![P::VersionMismatch]), (422, rules)],
        "cancelShipments" => vec![(
            422,
            COMMENT_CODES
                .iter()
                .copied()
                .chain([P::InvalidVersions])
                .collect(),
        )],
        "precheck_matching" => vec![(422, COMMENT_CODES.to_vec())],
        "removeProduct" => vec![(422, vec![P::InvalidVersions])],
        "cancelShipmentItems" => vec![
            (412, vec![P::VersionMismatch]),
            (
                422,
                [P::PartialNotOffered, P::ReasonNotOffered]
                    .into_iter()
                    .chain(COMMENT_CODES)
                    .chain([P::InvalidItems, P::WholeShipment])
                    .collect(),
            ),
        ],
        "splitShipment" => vec![
            (412, vec![P::VersionMismatch]),
            (422, vec![P::SplitNotOffered, P::InvalidSplit]),
        ],
        "setStock" => vec![(
            422,
            vec![
                P::InvalidQuantity,
                P::ProductArchived,
                P::TextInvisibleCharacters,
            ],
        )],
        _ => Vec::new(),
    }
}

/// The problems every operation of a shape can answer: a path that names a resource (404, and 400
/// for a path that is not valid UTF-8), auth (401), a JSON body (400, 413, 415), the intent headers
/// (400, 409, 422, 428).
fn generic_problems(operation: &Value, operation_id: &str) -> Vec<(u16, Vec<ProblemCode>)> {
    use ProblemCode as P;
    let params = operation["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let has = |location: &str, name: &str| {
        params
            .iter()
            .any(|p| p["in"] == location && p["name"].as_str() == Some(name))
    };
    let has_path = params.iter().any(|p| p["in"] == "path");
    let has_query = params.iter().any(|p| p["in"] == "query");
    let body = operation.get("requestBody").is_some();
    let mut problems: Vec<(u16, Vec<ProblemCode>)> = Vec::new();
    if has_path || has_query || body {
        problems.push((400, vec![P::MalformedRequest]));
    }
    if operation.get("security").is_some() {
        problems.push((401, vec![P::Unauthorized]));
    }
    if has_path && operation_id != "createDevSession" {
        problems.push((404, vec![P::NotFound]));
    }
    if body {
        problems.push((413, vec![P::PayloadTooLarge]));
        problems.push((415, vec![P::MalformedRequest]));
    }
    if has("header", "Idempotency-Key") {
        problems.push((400, vec![P::IdempotencyKeyRequired]));
        problems.push((409, vec![P::RequestInFlight]));
        problems.push((422, vec![P::IdempotencyKeyReused]));
        // The seller holds as many stored intents as the retention allows (API.md, "Security").
        problems.push((429, vec![P::TooManyRequests]));
    }
    if has("header", "If-Match") {
        problems.push((428, vec![P::PreconditionRequired]));
    }
    problems
}

fn code_name(code: ProblemCode) -> String {
    code.code().to_owned()
}

fn status_title(status: u16) -> &'static str {
    match status {
        400 => "Malformed request",
        401 => "Missing, malformed, forged or expired token",
        404 => "Not found, or another seller's",
        409 => {
            "A request with this Idempotency-Key is still in flight; retry after Retry-After seconds"
        }
        412 => {
            "The shipment changed since the version in If-Match; the problem carries the current shipment"
        }
        413 => "The body is larger than the server reads",
        415 => "The body is not sent as JSON (Content-Type: application/json)",
        422 => "Refused by a rule, or the Idempotency-Key was used for another request",
        428 => "If-Match is missing",
        429 => {
            "Too many at once from this seller (event streams, or intents within the idempotency retention); retry after Retry-After seconds"
        }
        _ => "Problem",
    }
}

fn problem_response(status: u16, codes: &[ProblemCode]) -> Value {
    let names: Vec<String> = codes.iter().map(|&c| code_name(c)).collect();
    let mut description = format!(
        "{}. `code`: {}.",
        status_title(status),
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if status == 413 {
        description.push_str(&format!(" The limit is {BODY_LIMIT} bytes."));
    }
    let mut response = json!({
        "description": description,
        "content": {"application/problem+json": {"schema": {
            "allOf": [{"$ref": "#/components/schemas/Problem"}],
            "properties": {
                "status": {"type": "integer", "enum": [status]},
                "code": {"type": "string", "enum": names},
            },
        }}},
    });
    if status == 409 || status == 429 {
        response["headers"] = json!({"Retry-After": {
            "description": "Seconds to wait before retrying",
            "required": true,
            "schema": {"type": "string", "pattern": "^[0-9]+$"},
        }});
    }
    response
}

fn at<'a>(value: &'a mut Value, pointer: &str) -> &'a mut Value {
    // A missing pointer is a renamed field or operation: fail where the document is built.
    match value.pointer_mut(pointer) {
        Some(found) => found,
        None => panic!("the OpenAPI document has no {pointer}"),
    }
}

fn string_with(pattern: String, max_length: Option<usize>, nullable: bool) -> Value {
    let mut schema = json!({"type": if nullable { json!(["string", "null"]) } else { json!("string") }, "pattern": pattern});
    if let Some(max) = max_length {
        schema["maxLength"] = json!(max);
    }
    schema
}

fn component_limits(doc: &mut Value) {
    let schemas = "/components/schemas";
    // The all-matching pre-check: its limit, its description, and the list's filters in its body.
    *at(
        doc,
        &format!("{schemas}/MatchingPrecheckRequest/properties/limit"),
    ) = json!({"type": "integer", "minimum": 1, "maximum": domain::api::matching::MAX_LIMIT,
               "description": format!("1 to {} shipments, in the list's default order", domain::api::matching::MAX_LIMIT)});
    *at(
        doc,
        &format!("{schemas}/MatchingPrecheckRequest/properties/comment"),
    ) = string_with(pattern::trimmed_text(MAX_COMMENT_CHARS, false), None, true);
    for field in ["provider", "city", "q"] {
        *at(doc, &format!("{schemas}/MatchFilter/properties/{field}")) = string_with(
            pattern::trimmed_text(limits::MAX_LIST_TEXT_CHARS, false),
            None,
            true,
        );
    }
    let comment = || string_with(pattern::trimmed_text(MAX_COMMENT_CHARS, false), None, true);
    let comment_text = format!(
        "Required for `other`: 1 to {MAX_COMMENT_CHARS} characters after trimming, no control \
         characters (`comment_required`, `comment_too_long`, `comment_control_characters`). For \
         the other reasons optional; blank counts as absent."
    );
    let mut c = comment();
    c["description"] = json!(comment_text);
    *at(doc, &format!("{schemas}/CancelRequest/properties/comment")) = c.clone();
    *at(
        doc,
        &format!("{schemas}/CancelItemsRequest/properties/comment"),
    ) = c.clone();
    let items = at(
        doc,
        &format!("{schemas}/CancelItemsRequest/properties/items"),
    );
    items["maxItems"] = json!(limits::MAX_CANCEL_ITEMS);
    items["description"] = json!(format!(
        "At most {} items (more: 400). Each names a SKU of the shipment once, with 1 to that SKU's units in it, and at least one unit must stay; else 422 `invalid_items` (none, unknown or repeated SKU, a quantity of 0, negative, fractional or more than held) or `whole_shipment` (every unit: cancel the whole shipment instead)",
        limits::MAX_CANCEL_ITEMS
    ));
    // Any JSON number is read (`domain::partial::RequestedItem`): the rules, not the parser,
    // refuse 0, a negative or a fractional quantity, so that the app shows why next to the field.
    *at(doc, &format!("{schemas}/RequestedItem/properties/quantity")) = json!({
        "type": "number",
        "description": "Units to cancel: a whole number from 1 to the SKU's units in the shipment. Any other number is the rules' 422 `invalid_items` (after the If-Match check), not a 400",
    });
    *at(
        doc,
        &format!("{schemas}/BulkCancelRequest/properties/comment"),
    ) = c;
    *at(
        doc,
        &format!("{schemas}/BulkCancelRequest/properties/posting_numbers"),
    ) = json!({
        "type": "array",
        "items": {"type": "string"},
        "minItems": 1,
        "maxItems": limits::MAX_BULK_SHIPMENTS,
        "description": format!("1 to {} posting numbers; repeats are reported once, unknown ones fail with `not_found`", limits::MAX_BULK_SHIPMENTS),
    });
    let parcels = at(doc, &format!("{schemas}/SplitRequest/properties/parcels"));
    parcels["maxItems"] = json!(limits::MAX_PARCELS);
    parcels["description"] = json!(format!(
        "At most {} parcels; at least two, each not empty, at most {} units of one product each, together exactly the shipment's products (else 422 `invalid_split`)",
        limits::MAX_PARCELS,
        eligibility::MAX_IDENTICAL_UNITS
    ));
    for (schema, field) in [("ParcelLine", "quantity"), ("StockUpdate", "quantity")] {
        let quantity = at(doc, &format!("{schemas}/{schema}/properties/{field}"));
        quantity["minimum"] = json!(0);
        quantity["maximum"] = json!(u32::MAX);
        quantity.as_object_mut().map(|o| o.remove("format"));
    }
    at(doc, &format!("{schemas}/StockUpdate/properties/quantity"))["description"] = json!(format!(
        "0 to {} units (more: 422 `invalid_quantity`)",
        limits::MAX_STOCK
    ));
    let mut warehouse = string_with(
        pattern::visible_text(),
        Some(limits::MAX_WAREHOUSE_ID_CHARS),
        false,
    );
    warehouse["description"] = json!(format!(
        "1 to {} characters, not blank, no control characters; stored trimmed",
        limits::MAX_WAREHOUSE_ID_CHARS
    ));
    *at(
        doc,
        &format!("{schemas}/StockUpdate/properties/warehouse_id"),
    ) = warehouse.clone();
    // The out-of-stock sweep names one product at one warehouse, as short text (400 naming it).
    let mut sku = string_with(pattern::visible_text(), Some(limits::MAX_SKU_CHARS), false);
    sku["description"] = json!(format!(
        "1 to {} characters, not blank, no control characters",
        limits::MAX_SKU_CHARS
    ));
    for schema in ["RemovalPrecheckRequest", "RemovalRequest"] {
        *at(doc, &format!("{schemas}/{schema}/properties/sku")) = sku.clone();
        *at(doc, &format!("{schemas}/{schema}/properties/warehouse_id")) = warehouse.clone();
    }
    *at(
        doc,
        &format!("{schemas}/RemovalRequest/properties/posting_numbers"),
    ) = json!({
        "type": "array",
        "items": {"type": "string"},
        "minItems": 1,
        "maxItems": domain::api::matching::BATCH,
        "description": format!("1 to {} posting numbers, each with its version in `versions`; repeats are reported once, unknown ones fail with `not_found`", domain::api::matching::BATCH),
    });
    *at(
        doc,
        &format!("{schemas}/GeographyExclusion/properties/country"),
    ) = json!({
        "type": "string",
        "pattern": limits::COUNTRY_PATTERN,
        "description": "ISO 3166-1 alpha-2, upper case",
    });
    let mut city = string_with(pattern::visible_text(), Some(limits::MAX_CITY_CHARS), false);
    city["description"] = json!(format!(
        "1 to {} characters, not blank, no control characters; stored trimmed, compared case-insensitively",
        limits::MAX_CITY_CHARS
    ));
    *at(
        doc,
        &format!("{schemas}/GeographyExclusion/properties/city"),
    ) = city;
    let mut message = string_with(
        pattern::visible_text(),
        Some(limits::MAX_PROVIDER_MESSAGE_CHARS),
        true,
    );
    message["description"] = json!(format!(
        "The provider's words with a rejection, 1 to {} characters, not blank, no control characters; a default message when absent",
        limits::MAX_PROVIDER_MESSAGE_CHARS
    ));
    *at(
        doc,
        &format!("{schemas}/ProviderDecisionRequest/properties/message"),
    ) = message;
}

fn query_parameter(name: &str, schema: Value, description: String) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": schema, "description": description})
}

fn list_parameters() -> Vec<Value> {
    let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.code()).collect();
    let methods: Vec<&str> = DeliveryMethod::ALL.iter().map(|m| m.code()).collect();
    let text = |what: &str| {
        query_parameter(
            what,
            json!({"type": "string", "pattern": pattern::trimmed_text(limits::MAX_LIST_TEXT_CHARS, false)}),
            format!(
                "At most {} characters after trimming, no control characters; empty counts as absent",
                limits::MAX_LIST_TEXT_CHARS
            ),
        )
    };
    let mut provider = text(names::PROVIDER);
    provider["description"] = json!(format!(
        "The delivery provider, exactly as GET /providers names it. {}",
        provider["description"].as_str().unwrap_or_default()
    ));
    let mut city = text(names::CITY);
    city["description"] = json!(format!(
        "The destination city, case-insensitive. {}",
        city["description"].as_str().unwrap_or_default()
    ));
    let mut q = text(names::Q);
    q["description"] = json!(format!(
        "Text search over posting number, order number, product names and SKUs. {}",
        q["description"].as_str().unwrap_or_default()
    ));
    let sorts: Vec<&str> = SortKey::ALL.iter().map(|k| k.code()).collect();
    let orders: Vec<&str> = SortOrder::ALL.iter().map(|o| o.code()).collect();
    let default = Sort::API_DEFAULT;
    vec![
        query_parameter(names::STATUS, json!({"type": "string", "pattern": pattern::code_list(&statuses)}), format!("Status codes, comma-separated: {}", statuses.join(", "))),
        query_parameter(names::DELIVERY, json!({"type": "string", "pattern": pattern::optional_code(&methods)}), format!("A delivery method code: {}", methods.join(", "))),
        provider,
        city,
        q,
        query_parameter(names::SORT, json!({"type": "string", "pattern": pattern::optional_code(&sorts)}), format!("{} (default {})", sorts.join(" or "), default.key.code())),
        query_parameter(names::ORDER, json!({"type": "string", "pattern": pattern::optional_code(&orders)}), format!("{} (default {})", orders.join(" or "), default.order.code())),
        query_parameter(names::LIMIT, json!({"type": "integer", "minimum": 1, "maximum": limits::MAX_PAGE_LIMIT, "default": limits::DEFAULT_PAGE_LIMIT}), format!("1 to {}, default {}", limits::MAX_PAGE_LIMIT, limits::DEFAULT_PAGE_LIMIT)),
        query_parameter(names::CURSOR, json!({"type": "string", "pattern": "^[A-Za-z0-9_-]*$"}), "Opaque: the `next_cursor` of the previous page, with the same sort and order (any other value is 400)".to_owned()),
    ]
}

/// The history's filters (and, for a page, its paging), as `domain::history::HistoryQuery` reads
/// them: empty counts as absent; a date is a calendar day.
fn history_parameters(paged: bool) -> Vec<Value> {
    use domain::api::history as names;
    let kinds: Vec<&str> = domain::history::HistoryKind::ALL
        .iter()
        .map(|k| k.code())
        .collect();
    let reasons: Vec<&str> = domain::Reason::ALL.iter().map(|r| r.code()).collect();
    let date = |name: &str, what: &str| {
        query_parameter(
            name,
            json!({"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "enum": [""]}]}),
            format!(
                "{what} (UTC, YYYY-MM-DD), inclusive; empty counts as absent; `to` before `from` is 400"
            ),
        )
    };
    let mut params = vec![
        query_parameter(
            names::KIND,
            json!({"type": "string", "pattern": pattern::optional_code(&kinds)}),
            format!("A kind of entry: {}", kinds.join(", ")),
        ),
        query_parameter(
            names::REASON,
            json!({"type": "string", "pattern": pattern::optional_code(&reasons)}),
            format!("A reason code: {}", reasons.join(", ")),
        ),
        query_parameter(
            names::INITIATOR,
            json!({"type": "string", "pattern": pattern::optional_code(&["seller", "carrier"])}),
            "seller or carrier".to_owned(),
        ),
        date(names::FROM, "The first day of the requests shown"),
        date(names::TO, "The last day of the requests shown"),
    ];
    if paged {
        params.push(query_parameter(names::LIMIT, json!({"type": "integer", "minimum": 1, "maximum": names::MAX_LIMIT, "default": names::DEFAULT_LIMIT}), format!("1 to {}, default {}", names::MAX_LIMIT, names::DEFAULT_LIMIT)));
        params.push(query_parameter(names::CURSOR, json!({"type": "string", "pattern": "^[A-Za-z0-9_-]*$"}), "Opaque: the `next_cursor` of the previous page, with the same filters (any other value is 400)".to_owned()));
    }
    params
}

fn header_parameters(operation: &mut Value) {
    let Some(params) = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for param in params.iter_mut() {
        match (param["in"].as_str(), param["name"].as_str()) {
            (Some("header"), Some("Idempotency-Key")) => {
                param["required"] = json!(true);
                param["schema"] = json!({"type": "string", "minLength": 1, "maxLength": limits::MAX_IDEMPOTENCY_KEY_LEN, "pattern": pattern::idempotency_key()});
                param["description"] = json!(format!(
                    "One key per user intent, 1 to {} visible ASCII characters; missing: 400 `idempotency_key_required`. The same key and request replays the stored answer (header `Idempotent-Replayed: true`), the same key with another request is 422 `idempotency_key_reused`. Keys are per seller.",
                    limits::MAX_IDEMPOTENCY_KEY_LEN
                ));
                param["example"] = json!("7f1c9a52-2f0e-4a51-9d0b-6c1f3e2a8b10");
            }
            (Some("header"), Some("If-Match")) => {
                param["required"] = json!(true);
                param["schema"] = json!({"type": "string", "pattern": pattern::if_match()});
                param["description"] = json!(
                    "The shipment version the seller saw, as the ETag of GET /shipments/{posting_number} gives it: a quoted decimal number. Missing: 428 `precondition_required`; stale: 412 `version_mismatch`."
                );
                param["example"] = json!("\"1\"");
            }
            _ => {}
        }
    }
}

fn links(doc: &mut Value) {
    let shipment_links = json!({
        "GetShipment": {"operationId": "getShipment", "parameters": {"posting_number": "$response.body#/items/0/posting_number"}},
    });
    *at(doc, "/paths/~1api~1v1~1shipments/get/responses/200")
        .as_object_mut()
        .expect("a response")
        .entry("links")
        .or_insert(json!({})) = shipment_links;
    let by_path = "$request.path.posting_number";
    let from_one = json!({
        "CancelShipment": {"operationId": "cancelShipment", "parameters": {"path.posting_number": by_path, "header.If-Match": "$response.header.ETag"}},
        "SplitShipment": {"operationId": "splitShipment", "parameters": {"path.posting_number": by_path, "header.If-Match": "$response.header.ETag"}},
        "CancelShipmentItems": {"operationId": "cancelShipmentItems", "parameters": {"path.posting_number": by_path, "header.If-Match": "$response.header.ETag"}, "requestBody": {"reason": "customer_request", "items": [{"sku": "$response.body#/products/0/sku", "quantity": 1}]}},
        "ChangeStatus": {"operationId": "changeStatus", "parameters": {"path.posting_number": by_path}},
        "DecideProviderRequest": {"operationId": "decideProviderRequest", "parameters": {"path.posting_number": by_path}},
        "GetProduct": {"operationId": "getProduct", "parameters": {"path.sku": "$response.body#/products/0/sku"}},
        "SetStock": {"operationId": "setStock", "parameters": {"path.sku": "$response.body#/products/0/sku"}, "requestBody": {"warehouse_id": "$response.body#/warehouse_id", "quantity": 5}},
        "ArchiveProduct": {"operationId": "archiveProduct", "parameters": {"path.sku": "$response.body#/products/0/sku"}},
    });
    at(
        doc,
        "/paths/~1api~1v1~1shipments~1{posting_number}/get/responses/200",
    )["links"] = from_one;
    let after_change = json!({
        "GetShipment": {"operationId": "getShipment", "parameters": {"path.posting_number": "$response.body#/posting_number"}},
    });
    for path in [
        "~1api~1v1~1shipments~1{posting_number}~1cancel",
        "~1api~1v1~1shipments~1{posting_number}~1cancel-items",
        "~1api~1v1~1dev~1shipments~1{posting_number}~1status",
        "~1api~1v1~1dev~1shipments~1{posting_number}~1provider-decision",
    ] {
        let pointer = format!("/paths/{path}/post/responses/200");
        at(doc, &pointer)["links"] = after_change.clone();
    }
    // A request sent to the provider (202) is what the demo's provider decision answers.
    let mut requested = after_change;
    requested["DecideProviderRequest"] = json!({"operationId": "decideProviderRequest", "parameters": {"path.posting_number": "$response.body#/posting_number"}});
    at(
        doc,
        "/paths/~1api~1v1~1shipments~1{posting_number}~1cancel/post/responses/202",
    )["links"] = requested;
    at(
        doc,
        "/paths/~1api~1v1~1shipments~1{posting_number}~1split/post/responses/200",
    )["links"] = json!({
        "GetNewParcel": {"operationId": "getShipment", "parameters": {"path.posting_number": "$response.body#/shipments/1/posting_number"}},
    });
    let product_links = json!({
        "SetStock": {"operationId": "setStock", "parameters": {"path.sku": "$response.body#/sku"}},
        "ArchiveProduct": {"operationId": "archiveProduct", "parameters": {"path.sku": "$response.body#/sku"}},
    });
    at(doc, "/paths/~1api~1v1~1products~1{sku}/get/responses/200")["links"] = product_links.clone();
    at(
        doc,
        "/paths/~1api~1v1~1products~1{sku}~1stock/put/responses/200",
    )["links"] = json!({
        "GetProduct": {"operationId": "getProduct", "parameters": {"path.sku": "$response.body#/sku"}},
    });
    at(
        doc,
        "/paths/~1api~1v1~1delivery-geography/get/responses/200",
    )["links"] = json!({
        "RemoveExclusion": {"operationId": "removeExclusion", "parameters": {"path.country": "$response.body#/exclusions/0/country", "path.city": "$response.body#/exclusions/0/city"}},
        "AddExclusion": {"operationId": "addExclusion", "requestBody": {"country": "$response.body#/destinations/0/country", "city": "$response.body#/destinations/0/city"}},
    });
    for status in ["200", "201"] {
        at(
            doc,
            &format!("/paths/~1api~1v1~1delivery-geography~1exclusions/post/responses/{status}"),
        )["links"] = json!({
            "RemoveExclusion": {"operationId": "removeExclusion", "parameters": {"path.country": "$response.body#/country", "path.city": "$response.body#/city"}},
        });
    }
    at(doc, "/paths/~1api~1v1~1providers/get/responses/200")["links"] = json!({
        "ListByProvider": {"operationId": "listShipments", "parameters": {"query.provider": "$response.body#/providers/0/name"}},
    });
}

fn examples(doc: &mut Value) {
    let body = |doc: &mut Value, path: &str, method: &str, example: Value| {
        at(
            doc,
            &format!("/paths/{path}/{method}/requestBody/content/application~1json"),
        )["example"] = example;
    };
    body(
        doc,
        "~1api~1v1~1dev~1session",
        "post",
        json!({"seller_id": "s-1001"}),
    );
    body(
        doc,
        "~1api~1v1~1shipments~1{posting_number}~1cancel",
        "post",
        json!({"reason": "other", "comment": "The buyer asked to cancel by phone"}),
    );
    body(
        doc,
        "~1api~1v1~1shipments~1cancel",
        "post",
        json!({"posting_numbers": ["87654321-0027-1", "87654321-0028-1"], "reason": "undeliverable_address"}),
    );
    body(
        doc,
        "~1api~1v1~1shipments~1{posting_number}~1split",
        "post",
        json!({"parcels": [[{"sku": "1004", "quantity": 3}], [{"sku": "1004", "quantity": 2}, {"sku": "1001", "quantity": 1}]]}),
    );
    body(
        doc,
        "~1api~1v1~1shipments~1{posting_number}~1cancel-items",
        "post",
        json!({"reason": "out_of_stock", "items": [{"sku": "1004", "quantity": 1}]}),
    );
    body(
        doc,
        "~1api~1v1~1products~1{sku}~1stock",
        "put",
        json!({"warehouse_id": "wh-guangzhou", "quantity": 120}),
    );
    body(
        doc,
        "~1api~1v1~1delivery-geography~1exclusions",
        "post",
        json!({"country": "RU", "city": "Yakutsk"}),
    );
    body(
        doc,
        "~1api~1v1~1dev~1shipments~1{posting_number}~1provider-decision",
        "post",
        json!({"decision": "reject", "message": "The parcel has already left the sorting centre"}),
    );
    body(
        doc,
        "~1api~1v1~1dev~1shipments~1{posting_number}~1status",
        "post",
        json!({"status": "in_transit"}),
    );
    let problem = json!({
        "type": "about:blank", "title": "The rules refuse this request", "status": 422,
        "detail": "this reason is not offered for the shipment's status", "code": "reason_not_offered",
    });
    at(
        doc,
        "/paths/~1api~1v1~1shipments~1{posting_number}~1cancel/post/responses/422/content/application~1problem+json",
    )["example"] = problem;
    let path_examples = [
        ("posting_number", "87654321-0001-1"),
        ("sku", "1001"),
        ("country", "RU"),
        ("city", "Yakutsk"),
    ];
    if let Some(paths) = doc["paths"].as_object_mut() {
        for item in paths.values_mut() {
            for operation in item
                .as_object_mut()
                .into_iter()
                .flat_map(|o| o.values_mut())
            {
                for param in operation
                    .get_mut("parameters")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    if param["in"] != "path" {
                        continue;
                    }
                    if let Some((_, example)) =
                        path_examples.iter().find(|(n, _)| param["name"] == *n)
                    {
                        param["example"] = json!(example);
                    }
                }
            }
        }
    }
}

/// The served document: the generated one, completed.
pub fn finish(document: &utoipa::openapi::OpenApi) -> Value {
    let mut doc = serde_json::to_value(document).expect("the OpenAPI document is JSON");
    component_limits(&mut doc);
    // A `Retry-After` 503 that any operation may answer under overload.
    doc["components"]["responses"] = json!({"Overloaded": {
        "description": "The server is overloaded; retry after Retry-After seconds",
        "headers": {"Retry-After": {"required": true, "schema": {"type": "string", "pattern": "^[0-9]+$"}}},
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }});
    // Every named operation must exist (a rename fails here, at start-up and in the tests).
    for (method, path, _) in OPERATIONS {
        at(
            &mut doc,
            &format!("/paths/~1api~1v1{}/{method}", path.replace('/', "~1")),
        );
    }
    // Every operation gets the same treatment, also one added later and not named above.
    let mut every: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in item.as_object().into_iter().flat_map(|o| o.keys()) {
            every.push((path.clone(), method.clone()));
        }
    }
    for (path, method) in every {
        let named = OPERATIONS
            .iter()
            .find(|(m, p, _)| *m == method && format!("/api/v1{p}") == path)
            .map(|(_, _, id)| *id);
        let pointer = format!("/paths/{}/{method}", path.replace('/', "~1"));
        let operation = at(&mut doc, &pointer);
        if let Some(id) = named {
            operation["operationId"] = json!(id);
        }
        let operation_id = operation["operationId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let operation_id = &operation_id;
        match operation_id.as_str() {
            "listShipments" => operation["parameters"] = Value::Array(list_parameters()),
            "counts" => {
                // The list's filters but the status, sort and paging, as the parser reads them.
                let filters = list_parameters()
                    .into_iter()
                    .filter(|p| p["name"].as_str().is_some_and(|n| Scope::Counts.takes(n)))
                    .collect();
                operation["parameters"] = Value::Array(filters);
            }
            "history" => operation["parameters"] = Value::Array(history_parameters(true)),
            "export_csv" => operation["parameters"] = Value::Array(history_parameters(false)),
            _ => {}
        }
        if *operation_id == "streamEvents" {
            // The token comes only as a Bearer header, never in the URL.
            operation["security"] = json!([{"bearer": []}]);
        }
        header_parameters(operation);
        if let Some(body) = operation.get_mut("requestBody") {
            body["required"] = json!(true);
        }
        let mut problems = generic_problems(operation, operation_id);
        problems.extend(specific_problems(operation_id));
        let mut merged: Vec<(u16, Vec<ProblemCode>)> = Vec::new();
        for (status, codes) in problems {
            match merged.iter_mut().find(|(s, _)| *s == status) {
                Some((_, known)) => {
                    for code in codes {
                        if !known.contains(&code) {
                            known.push(code);
                        }
                    }
                }
                None => merged.push((status, codes)),
            }
        }
        let intent = generic_problems(operation, operation_id)
            .iter()
            .any(|(_, codes)| codes.contains(&ProblemCode::IdempotencyKeyReused));
        let responses = operation["responses"].as_object_mut().expect("responses");
        responses.retain(|status, _| status.starts_with('2') || status.starts_with('3'));
        for (status, codes) in merged {
            responses.insert(status.to_string(), problem_response(status, &codes));
        }
        if intent {
            // The stored outcome of an intent (only a success is stored: a refusal changed nothing)
            // is replayed for the same key and request.
            for (status, response) in responses.iter_mut() {
                if status.starts_with('2') {
                    response["headers"]["Idempotent-Replayed"] = json!({
                        "description": "`true` when this is the stored answer of an earlier request with the same Idempotency-Key",
                        "required": false,
                        "schema": {"type": "string", "enum": ["true"]},
                    });
                }
            }
        }
        responses.insert(
            "503".to_owned(),
            json!({"$ref": "#/components/responses/Overloaded"}),
        );
        let sorted: Map<String, Value> = {
            let mut entries: Vec<(String, Value)> = std::mem::take(responses).into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            entries.into_iter().collect()
        };
        *responses = sorted;
    }
    let etag = at(
        &mut doc,
        "/paths/~1api~1v1~1shipments~1{posting_number}/get/responses/200",
    );
    etag["headers"] = json!({"ETag": {
        "description": "The shipment's version, quoted: the If-Match of a cancellation or a split",
        "required": true,
        "schema": {"type": "string", "pattern": pattern::if_match()},
    }});
    links(&mut doc);
    examples(&mut doc);
    doc
}

#[cfg(test)]
mod tests {
    use domain::api::{BASE, path};

    /// The app builds its requests with the rules crate's paths; each must be one the server serves,
    /// spelt as its document spells it (a template's parameter included).
    #[test]
    fn every_path_of_the_rules_crate_is_served() {
        let document = crate::app::openapi();
        let served = document["paths"]
            .as_object()
            .expect("the document has paths");
        for expected in path::ALL {
            assert!(
                served.contains_key(&format!("{BASE}{expected}")),
                "{expected} is not among the server's paths"
            );
        }
    }
}
