//! Where the server read requests differently from what its OpenAPI document says (found by the
//! contract suite), and the document's limits, which come from `domain::limits`.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{DEMO_SELLER, EXAMPLE, TestServer, code, read, showcase};

#[tokio::test]
async fn if_match_is_a_quoted_version_of_decimal_digits_and_nothing_else() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let version = server.version(&token, EXAMPLE).await;
    // Each names the current version to a lenient number parser (`"+3"`, zero-padded past 19
    // digits), which the document's pattern `^"[0-9]{1,19}"$` refuses.
    for if_match in [format!("\"+{version}\""), format!("\"{version:0>22}\"")] {
        let response = server
            .client
            .post(server.url(&format!("/api/v1/shipments/{EXAMPLE}/cancel")))
            .bearer_auth(&token)
            .header(
                "idempotency-key",
                format!("key {if_match}").replace(' ', "-"),
            )
            .header("if-match", &if_match)
            .json(&json!({"reason": "customer_request"}))
            .send()
            .await
            .expect("an answer");
        let (status, problem) = read(response).await;
        assert_eq!(
            (status, code(&problem)),
            (StatusCode::BAD_REQUEST, "malformed_request"),
            "If-Match: {if_match}"
        );
    }
    assert_eq!(
        server.version(&token, EXAMPLE).await,
        version,
        "nothing changed"
    );
}

#[tokio::test]
async fn quantities_are_integers_as_json_schema_counts_them() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let (status, product) = server
        .send(
            Method::PUT,
            "/api/v1/products/1001/stock",
            Some(&token),
            Some(json!({"warehouse_id": "wh-shenzhen", "quantity": 1471.0})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{product}");
    assert!(
        product["stock"]
            .as_array()
            .expect("stock")
            .contains(&json!({"warehouse_id": "wh-shenzhen", "quantity": 1471}))
    );
    for quantity in [
        json!(1471.5),
        json!(-1),
        json!(4_294_967_296_u64),
        json!("3"),
    ] {
        let (status, problem) = server
            .send(
                Method::PUT,
                "/api/v1/products/1001/stock",
                Some(&token),
                Some(json!({"warehouse_id": "wh-shenzhen", "quantity": quantity})),
            )
            .await;
        assert_eq!(
            (status, code(&problem)),
            (StatusCode::BAD_REQUEST, "malformed_request"),
            "quantity {quantity}"
        );
    }

    let pn = showcase(24);
    let version = server.version(&token, &pn).await;
    let plan = json!({"parcels": [[{"sku": "1004", "quantity": 3.0}], [{"sku": "1004", "quantity": 2}, {"sku": "1001", "quantity": 1.0}]]});
    let (status, split, _) = server
        .intent(
            &format!("/api/v1/shipments/{pn}/split"),
            &token,
            "split-floats",
            Some(version),
            plan,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{split}");
    assert_eq!(split["shipments"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn text_fields_are_measured_as_sent_and_country_codes_taken_exactly() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let add = |body: Value| {
        let server = &server;
        let token = &token;
        async move {
            server
                .send(
                    Method::POST,
                    "/api/v1/delivery-geography/exclusions",
                    Some(token),
                    Some(body),
                )
                .await
        }
    };
    let longest = "a".repeat(domain::limits::MAX_CITY_CHARS);
    let (status, added) = add(json!({"country": "RU", "city": longest})).await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    for body in [
        json!({"country": " RU", "city": "Kazan"}),
        json!({"country": "RU ", "city": "Kazan"}),
        json!({"country": "RU", "city": format!("{longest} ")}),
        json!({"country": "RU", "city": " \u{3000} "}),
    ] {
        let (status, problem) = add(body.clone()).await;
        assert_eq!(
            (status, code(&problem)),
            (StatusCode::BAD_REQUEST, "malformed_request"),
            "{body}"
        );
    }
    let warehouse = "w".repeat(domain::limits::MAX_WAREHOUSE_ID_CHARS);
    for (warehouse_id, expected) in [
        (warehouse.clone(), StatusCode::OK),
        (format!(" {warehouse}"), StatusCode::BAD_REQUEST),
    ] {
        let (status, body) = server
            .send(
                Method::PUT,
                "/api/v1/products/1001/stock",
                Some(&token),
                Some(json!({"warehouse_id": warehouse_id, "quantity": 1})),
            )
            .await;
        assert_eq!(status, expected, "{warehouse_id:?}: {body}");
    }
}

async fn document(server: &TestServer) -> Value {
    let (status, doc) = server
        .send(Method::GET, "/api/openapi.json", None, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    doc
}

#[tokio::test]
async fn the_document_states_the_limits_the_server_enforces() {
    use domain::limits;
    let server = TestServer::demo().await;
    let doc = document(&server).await;
    let list = &doc["paths"]["/api/v1/shipments"]["get"]["parameters"];
    let limit = list
        .as_array()
        .expect("parameters")
        .iter()
        .find(|p| p["name"] == "limit")
        .expect("limit");
    assert_eq!(limit["schema"]["minimum"], json!(1));
    assert_eq!(limit["schema"]["maximum"], json!(limits::MAX_PAGE_LIMIT));
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["BulkCancelRequest"]["properties"]["posting_numbers"]["maxItems"],
        json!(limits::MAX_BULK_SHIPMENTS)
    );
    assert_eq!(
        schemas["SplitRequest"]["properties"]["parcels"]["maxItems"],
        json!(limits::MAX_PARCELS)
    );
    assert_eq!(
        schemas["GeographyExclusion"]["properties"]["city"]["maxLength"],
        json!(limits::MAX_CITY_CHARS)
    );
    let cancel = &doc["paths"]["/api/v1/shipments/{posting_number}/cancel"]["post"];
    for header in ["Idempotency-Key", "If-Match"] {
        let param = cancel["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .find(|p| p["name"] == header)
            .expect("the header");
        assert_eq!(param["required"], json!(true), "{header}");
        assert!(param["schema"]["pattern"].is_string(), "{header}");
    }
    assert_eq!(cancel["requestBody"]["required"], json!(true));
}

#[tokio::test]
async fn every_operation_lists_its_problems_with_their_codes_and_the_overload_answer() {
    let server = TestServer::demo().await;
    let doc = document(&server).await;
    let paths = doc["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("operations") {
            let responses = operation["responses"].as_object().expect("responses");
            assert_eq!(
                responses["503"]["$ref"],
                json!("#/components/responses/Overloaded"),
                "{method} {path}"
            );
            if operation.get("security").is_some() {
                assert!(responses.contains_key("401"), "{method} {path} answers 401");
            }
            if operation.get("requestBody").is_some() {
                for status in ["400", "413", "415"] {
                    assert!(
                        responses.contains_key(status),
                        "{method} {path} answers {status}"
                    );
                }
            }
            for (status, response) in responses {
                if !status.starts_with('4') {
                    continue;
                }
                let schema = &response["content"]["application/problem+json"]["schema"];
                let codes = schema["properties"]["code"]["enum"]
                    .as_array()
                    .unwrap_or_else(|| panic!("{method} {path} {status} names its codes"));
                assert!(!codes.is_empty());
                for code in codes {
                    let parsed: Result<domain::ProblemCode, _> =
                        serde_json::from_value(code.clone());
                    assert!(
                        parsed.is_ok(),
                        "{method} {path} {status}: {code} is a ProblemCode"
                    );
                }
                assert_eq!(
                    schema["properties"]["status"]["enum"],
                    json!([status.parse::<u16>().expect("a status")])
                );
            }
        }
    }
}

#[tokio::test]
async fn a_page_limit_when_given_is_a_plain_integer() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let (status, page) = server.get("/api/v1/shipments?limit=7", &token).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["items"].as_array().map(Vec::len), Some(7));
    // The document says `integer`: an empty value or a signed one is not one, though a lenient
    // reader took the first as "the default" and the second as 5.
    for limit in ["", "+5", "%205", "05"] {
        let (status, problem) = server
            .get(&format!("/api/v1/shipments?limit={limit}"), &token)
            .await;
        assert_eq!(
            (status, code(&problem)),
            (StatusCode::BAD_REQUEST, "malformed_request"),
            "limit={limit}"
        );
    }
}
