//! The OpenAPI document: every endpoint of the contract is in it, every documented route is served,
//! and the documented shapes match what the server really sends.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{DEMO_SELLER, EXAMPLE, TestServer, showcase};

/// The endpoints of DESIGN.md (plus the demo helpers and the event stream).
const CONTRACT: &[(&str, &str)] = &[
    ("get", "/api/v1/config"),
    ("post", "/api/v1/dev/session"),
    ("post", "/api/v1/dev/shipments/{posting_number}/status"),
    (
        "post",
        "/api/v1/dev/shipments/{posting_number}/provider-decision",
    ),
    ("get", "/api/v1/events"),
    ("get", "/api/v1/shipments"),
    ("get", "/api/v1/shipments/counts"),
    ("get", "/api/v1/history"),
    ("get", "/api/v1/history/export.csv"),
    ("post", "/api/v1/shipments/cancel/precheck"),
    ("post", "/api/v1/shipments/remove-product/precheck"),
    ("post", "/api/v1/shipments/remove-product"),
    ("get", "/api/v1/providers"),
    ("get", "/api/v1/shipments/{posting_number}"),
    ("post", "/api/v1/shipments/{posting_number}/cancel"),
    ("post", "/api/v1/shipments/cancel"),
    ("post", "/api/v1/shipments/{posting_number}/split"),
    ("post", "/api/v1/shipments/{posting_number}/cancel-items"),
    ("get", "/api/v1/products/{sku}"),
    ("put", "/api/v1/products/{sku}/stock"),
    ("post", "/api/v1/products/{sku}/archive"),
    ("get", "/api/v1/delivery-geography"),
    ("post", "/api/v1/delivery-geography/exclusions"),
    (
        "delete",
        "/api/v1/delivery-geography/exclusions/{country}/{city}",
    ),
    ("get", "/api/v1/metrics/cancellation-rate"),
];

async fn document(server: &TestServer) -> Value {
    let response = server
        .client
        .get(server.url("/api/openapi.json"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("JSON")
}

#[tokio::test]
async fn every_route_is_documented_and_every_documented_route_is_served() {
    let server = TestServer::demo().await;
    let doc = document(&server).await;
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let paths = doc["paths"].as_object().expect("paths");
    let documented: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .into_iter()
                .flat_map(|ops| ops.keys())
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect();
    for (method, path) in CONTRACT {
        assert!(
            documented.contains(&((*method).to_owned(), (*path).to_owned())),
            "{method} {path} is documented"
        );
    }
    assert_eq!(
        documented.len(),
        CONTRACT.len(),
        "no undocumented extra: {documented:?}"
    );
    for (method, path) in &documented {
        let concrete = path
            .replace("{posting_number}", "x")
            .replace("{sku}", "x")
            .replace("{country}", "RU")
            .replace("{city}", "x");
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
        let response = server
            .client
            .request(method.clone(), server.url(&concrete))
            .send()
            .await
            .expect("an answer");
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        assert!(
            status != StatusCode::METHOD_NOT_ALLOWED && !body.contains("no such API endpoint"),
            "{method} {path} is served: {status} {body}"
        );
    }
}

/// A small validator for the subset of JSON Schema the document uses; objects must not carry
/// properties the schema lacks, so drift either way fails.
fn validate(doc: &Value, schema: &Value, value: &Value, at: &str) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().expect("a name");
        return validate(
            doc,
            &doc["components"]["schemas"][name],
            value,
            &format!("{at}<{name}>"),
        );
    }
    if let Some(branches) = schema["oneOf"].as_array() {
        let fits = branches.iter().any(|branch| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                validate(doc, branch, value, at)
            }))
            .is_ok()
        });
        assert!(fits, "{at}: {value} fits none of {schema}");
        return;
    }
    if let Some(options) = schema["enum"].as_array() {
        assert!(
            options.contains(value),
            "{at}: {value} is not one of {options:?}"
        );
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() {
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let fits = types.contains(&actual) || (actual == "integer" && types.contains(&"number"));
        assert!(fits, "{at}: {value} is {actual}, the schema says {types:?}");
    }
    if let (Some(object), Some(properties)) = (value.as_object(), schema["properties"].as_object())
    {
        for required in schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            assert!(
                object.contains_key(required),
                "{at}: required {required} is missing from {value}"
            );
        }
        for (key, field) in object {
            let property = properties
                .get(key)
                .unwrap_or_else(|| panic!("{at}: {key} is not documented"));
            validate(doc, property, field, &format!("{at}.{key}"));
        }
    }
    if let (Some(items), Some(schema)) = (value.as_array(), schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            validate(doc, schema, item, &format!("{at}[{i}]"));
        }
    }
}

fn validate_as(doc: &Value, name: &str, value: &Value) {
    assert!(
        doc["components"]["schemas"].get(name).is_some(),
        "{name} is documented"
    );
    validate(
        doc,
        &json!({"$ref": format!("#/components/schemas/{name}")}),
        value,
        name,
    );
}

#[tokio::test]
async fn the_documented_shapes_are_what_the_server_sends() {
    let server = TestServer::demo().await;
    let doc = document(&server).await;
    let token = server.token(DEMO_SELLER).await;
    let (_, config) = server.send(Method::GET, "/api/v1/config", None, None).await;
    validate_as(&doc, "AppConfig", &config);
    let (_, session) = server
        .send(
            Method::POST,
            "/api/v1/dev/session",
            None,
            Some(json!({"seller_id": DEMO_SELLER})),
        )
        .await;
    validate_as(&doc, "Session", &session);
    let (_, page) = server.get("/api/v1/shipments?limit=200", &token).await;
    validate_as(&doc, "ShipmentPage", &page);
    let (_, providers) = server.get("/api/v1/providers", &token).await;
    validate_as(&doc, "ProviderList", &providers);
    let (_, history) = server.get("/api/v1/history?limit=200", &token).await;
    validate_as(&doc, "HistoryPage", &history);
    let (_, counts) = server.get("/api/v1/shipments/counts", &token).await;
    validate_as(&doc, "StatusCounts", &counts);
    let (_, precheck) = server
        .send(
            Method::POST,
            "/api/v1/shipments/cancel/precheck",
            Some(&token),
            Some(json!({"filter": {"status": ["awaiting_packaging", "in_transit"]}, "reason": "customer_request", "limit": 500})),
        )
        .await;
    validate_as(&doc, "MatchingPrecheck", &precheck);
    let (_, bad) = server.get("/api/v1/history?kind=lost", &token).await;
    validate_as(&doc, "Problem", &bad);
    for pn in [EXAMPLE.to_owned(), showcase(20), showcase(22), showcase(23)] {
        let (_, shipment) = server.get(&format!("/api/v1/shipments/{pn}"), &token).await;
        validate_as(&doc, "Shipment", &shipment);
    }
    let (_, stale, _) = server
        .intent(
            &format!("/api/v1/shipments/{EXAMPLE}/cancel"),
            &token,
            "o-1",
            Some(99),
            json!({"reason": "other", "comment": "x"}),
        )
        .await;
    validate_as(&doc, "Problem", &stale);
    let (_, bulk, _) = server
        .intent("/api/v1/shipments/cancel", &token, "o-2", None, json!({"posting_numbers": [showcase(5), showcase(14), "nope"], "reason": "customer_request"}))
        .await;
    validate_as(&doc, "BulkCancelResponse", &bulk);
    let pn = showcase(24);
    let version = server.version(&token, &pn).await;
    let plan = json!({"parcels": [[{"sku": "1004", "quantity": 3}], [{"sku": "1004", "quantity": 2}, {"sku": "1001", "quantity": 1}]]});
    let (status, split, _) = server
        .intent(
            &format!("/api/v1/shipments/{pn}/split"),
            &token,
            "o-3",
            Some(version),
            plan,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    validate_as(&doc, "SplitResponse", &split);
    let (_, product) = server.get("/api/v1/products/1001", &token).await;
    validate_as(&doc, "Product", &product);
    let (_, geography) = server.get("/api/v1/delivery-geography", &token).await;
    validate_as(&doc, "DeliveryGeography", &geography);
    let (_, rate) = server
        .get("/api/v1/metrics/cancellation-rate", &token)
        .await;
    validate_as(&doc, "RateReport", &rate);

    let codes = |name: &str| -> Vec<String> {
        doc["components"]["schemas"][name]["enum"]
            .as_array()
            .expect("an enum")
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        codes("Status"),
        domain::Status::ALL.map(|s| s.code().to_owned()).to_vec()
    );
    assert_eq!(
        codes("DeliveryMethod"),
        domain::DeliveryMethod::ALL
            .map(|m| m.code().to_owned())
            .to_vec()
    );
    assert_eq!(
        codes("Reason"),
        domain::Reason::ALL.map(|r| r.code().to_owned()).to_vec()
    );
    assert_eq!(
        codes("BlockedCode"),
        domain::BlockedCode::ALL
            .map(|b| b.code().to_owned())
            .to_vec()
    );
    let problem_codes = codes("ProblemCode");
    for code in problem_codes.iter() {
        let parsed: Result<domain::ProblemCode, _> = serde_json::from_value(json!(code));
        assert!(parsed.is_ok(), "{code} is a ProblemCode of the rules crate");
    }
    assert_eq!(problem_codes.len(), 34, "every ProblemCode is documented");
}
