//! Bulk cancellation, split, products, delivery geography and the metric.

use chrono::Utc;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{DEMO_SELLER, EXAMPLE, OTHER_SELLER, TestServer, code, showcase};

#[tokio::test]
async fn bulk_cancellation_processes_each_shipment_on_its_own_and_replays() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let other = server.token(OTHER_SELLER).await;
    let (_, foreign) = server.get("/api/v1/shipments?limit=1", &other).await;
    let foreign_pn = foreign["items"][0]["posting_number"]
        .as_str()
        .expect("a shipment")
        .to_owned();
    let yakutsk: Vec<String> = (27..=30).map(showcase).collect();
    let mut names = yakutsk.clone();
    names.extend([
        showcase(14),
        foreign_pn.clone(),
        "00000000-0000-1".to_owned(),
        showcase(27),
    ]);
    let body = json!({"posting_numbers": names, "reason": "undeliverable_address"});
    let (status, first, _) = server
        .intent(
            "/api/v1/shipments/cancel",
            &token,
            "bulk-1",
            None,
            body.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let results = first["results"].as_array().expect("results");
    assert_eq!(
        results.len(),
        7,
        "a repeated posting number is reported once"
    );
    for (result, pn) in results.iter().zip(&yakutsk) {
        assert_eq!(result["posting_number"], pn.as_str());
        assert_eq!(result["outcome"], "cancelled");
        assert_eq!(result["shipment"]["status"], "cancelled");
        assert_eq!(
            result["shipment"]["cancellation"]["reason"],
            "undeliverable_address"
        );
    }
    assert_eq!(
        (&results[4]["outcome"], &results[4]["code"]),
        (&json!("skipped"), &json!("delivered"))
    );
    assert_eq!(
        results[5],
        json!({"posting_number": foreign_pn, "outcome": "failed", "code": "not_found", "shipment": null})
    );
    assert_eq!(
        (&results[6]["outcome"], &results[6]["code"]),
        (&json!("failed"), &json!("not_found"))
    );

    let (status, replay, headers) = server
        .intent("/api/v1/shipments/cancel", &token, "bulk-1", None, body)
        .await;
    assert_eq!((status, &replay), (StatusCode::OK, &first));
    assert_eq!(headers["idempotent-replayed"], "true");

    let mixed = json!({"posting_numbers": [EXAMPLE, showcase(5)], "reason": "out_of_stock"});
    let (_, mixed, _) = server
        .intent("/api/v1/shipments/cancel", &token, "bulk-2", None, mixed)
        .await;
    assert_eq!(mixed["results"][0]["outcome"], "skipped");
    assert_eq!(mixed["results"][0]["code"], "reason_not_offered");
    assert_eq!(mixed["results"][1]["outcome"], "cancelled");

    let requested = json!({"posting_numbers": [EXAMPLE], "reason": "customer_request"});
    let (_, requested, _) = server
        .intent(
            "/api/v1/shipments/cancel",
            &token,
            "bulk-3",
            None,
            requested,
        )
        .await;
    assert_eq!(requested["results"][0]["outcome"], "requested");

    for (body, expected) in [
        (
            json!({"posting_numbers": [], "reason": "other", "comment": "x"}),
            "malformed_request",
        ),
        (
            json!({"posting_numbers": vec!["x"; 201], "reason": "customer_request"}),
            "malformed_request",
        ),
        (
            json!({"posting_numbers": [showcase(6)], "reason": "other"}),
            "comment_required",
        ),
        (
            json!({"posting_numbers": "one", "reason": "other"}),
            "malformed_request",
        ),
    ] {
        let (status, problem, _) = server
            .intent("/api/v1/shipments/cancel", &token, "bulk-bad", None, body)
            .await;
        assert!(status.is_client_error());
        assert_eq!(code(&problem), expected);
    }
}

#[tokio::test]
async fn a_commercial_shipment_awaiting_packaging_splits_into_parcels_of_at_most_three() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let pn = showcase(24);
    let path = format!("/api/v1/shipments/{pn}/split");
    let version = server.version(&token, &pn).await;
    let too_many = json!({"parcels": [[{"sku": "1004", "quantity": 4}], [{"sku": "1004", "quantity": 1}, {"sku": "1001", "quantity": 1}]]});
    let (status, problem, _) = server
        .intent(&path, &token, "s-0", Some(version), too_many)
        .await;
    assert_eq!(
        (status, code(&problem)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_split")
    );
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("split_too_many_identical")),
        "{problem}"
    );

    let plan = json!({"parcels": [[{"sku": "1004", "quantity": 3}, {"sku": "1001", "quantity": 1}], [{"sku": "1004", "quantity": 2}]]});
    let (status, _, _) = server
        .intent(&path, &token, "s-stale", Some(version + 5), plan.clone())
        .await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let (status, _, _) = server
        .intent(&path, &token, "s-1", None, plan.clone())
        .await;
    assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);
    let (status, split, _) = server
        .intent(&path, &token, "s-1", Some(version), plan.clone())
        .await;
    assert_eq!(status, StatusCode::OK, "{split}");
    let parcels = split["shipments"].as_array().expect("parcels");
    assert_eq!(parcels.len(), 2);
    assert_eq!(parcels[0]["posting_number"], pn.as_str());
    assert_eq!(parcels[0]["version"].as_u64(), Some(version + 1));
    assert_eq!(parcels[1]["posting_number"], "87654321-0024-2");
    assert_eq!(parcels[1]["order_number"], parcels[0]["order_number"]);
    assert_eq!(
        parcels[0]["products"],
        json!([
        {"sku": "1004", "name": "Screen protector", "quantity": 3, "price": "0.90", "currency": "USD"},
        {"sku": "1001", "name": "Phone case", "quantity": 1, "price": "3.20", "currency": "USD"}])
    );
    for parcel in parcels {
        assert_eq!(
            parcel["eligibility"]["warnings"],
            json!([]),
            "no parcel is commercial any more"
        );
    }
    let (status, replay, _) = server
        .intent(&path, &token, "s-1", Some(version), plan)
        .await;
    assert_eq!((status, &replay), (StatusCode::OK, &split));
    let (_, found) = server
        .get("/api/v1/shipments?q=87654321-0024", &token)
        .await;
    assert_eq!(found["total"], 2);

    let example_version = server.version(&token, EXAMPLE).await;
    let not_offered =
        json!({"parcels": [[{"sku": "1001", "quantity": 2}], [{"sku": "1001", "quantity": 2}]]});
    let (status, problem, _) = server
        .intent(
            &format!("/api/v1/shipments/{EXAMPLE}/split"),
            &token,
            "s-2",
            Some(example_version),
            not_offered,
        )
        .await;
    assert_eq!(
        (status, code(&problem)),
        (StatusCode::UNPROCESSABLE_ENTITY, "split_not_offered")
    );
}

#[tokio::test]
async fn products_take_new_stock_and_archive_for_their_seller_only() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let other = server.token(OTHER_SELLER).await;
    let (status, mine) = server.get("/api/v1/products/1001", &token).await;
    assert_eq!(
        (status, &mine["name"]),
        (StatusCode::OK, &json!("Phone case"))
    );
    let (status, theirs) = server.get("/api/v1/products/1001", &other).await;
    assert_eq!(
        (status, &theirs["name"]),
        (StatusCode::OK, &json!("Ceramic mug")),
        "the same SKU, another catalogue"
    );
    let (status, _) = server.get("/api/v1/products/1003", &other).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another seller's product is a 404"
    );

    let (status, updated) = server
        .send(
            Method::PUT,
            "/api/v1/products/1003/stock",
            Some(&token),
            Some(json!({"warehouse_id": "wh-shenzhen", "quantity": 42})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert!(
        updated["stock"]
            .as_array()
            .expect("stock")
            .contains(&json!({"warehouse_id": "wh-shenzhen", "quantity": 42}))
    );
    let (status, added) = server
        .send(
            Method::PUT,
            "/api/v1/products/1003/stock",
            Some(&token),
            Some(json!({"warehouse_id": "wh-new", "quantity": 0})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(added["stock"].as_array().map(Vec::len), Some(3));
    for (body, expected) in [
        (
            json!({"warehouse_id": "wh-shenzhen", "quantity": 2_000_000}),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_quantity"),
        ),
        (
            json!({"warehouse_id": "wh-shenzhen", "quantity": -1}),
            (StatusCode::BAD_REQUEST, "malformed_request"),
        ),
        (
            json!({"warehouse_id": "wh-shenzhen", "quantity": 1.5}),
            (StatusCode::BAD_REQUEST, "malformed_request"),
        ),
        (
            json!({"warehouse_id": "", "quantity": 1}),
            (StatusCode::BAD_REQUEST, "malformed_request"),
        ),
        (
            json!({"warehouse_id": "wh\u{7}", "quantity": 1}),
            (StatusCode::BAD_REQUEST, "malformed_request"),
        ),
        (
            json!({"warehouse_id": "wh\u{202E}", "quantity": 1}),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "text_invisible_characters",
            ),
        ),
        (
            json!({"quantity": 1}),
            (StatusCode::BAD_REQUEST, "malformed_request"),
        ),
    ] {
        let (status, problem) = server
            .send(
                Method::PUT,
                "/api/v1/products/1003/stock",
                Some(&token),
                Some(body.clone()),
            )
            .await;
        assert_eq!((status, code(&problem)), expected, "{body}");
    }
    let (status, _) = server
        .send(
            Method::PUT,
            "/api/v1/products/1003/stock",
            Some(&other),
            Some(json!({"warehouse_id": "wh-x", "quantity": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = server
        .send(
            Method::POST,
            "/api/v1/products/1003/archive",
            Some(&other),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, archived) = server
        .send(
            Method::POST,
            "/api/v1/products/1003/archive",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        (status, &archived["archived"]),
        (StatusCode::OK, &json!(true))
    );
    let (status, again) = server
        .send(
            Method::POST,
            "/api/v1/products/1003/archive",
            Some(&token),
            None,
        )
        .await;
    assert_eq!((status, again), (StatusCode::OK, archived));
    let (status, problem) = server
        .send(
            Method::PUT,
            "/api/v1/products/1003/stock",
            Some(&token),
            Some(json!({"warehouse_id": "wh-shenzhen", "quantity": 1})),
        )
        .await;
    assert_eq!(
        (status, code(&problem)),
        (StatusCode::UNPROCESSABLE_ENTITY, "product_archived")
    );
    let (status, _) = server.get("/api/v1/products/none", &token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn delivery_geography_exclusions_are_added_listed_and_removed_per_seller() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let other = server.token(OTHER_SELLER).await;
    let (status, geography) = server.get("/api/v1/delivery-geography", &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(geography["exclusions"], json!([]));
    let yakutsk = geography["destinations"]
        .as_array()
        .expect("destinations")
        .iter()
        .find(|d| d["city"] == "Yakutsk")
        .cloned()
        .expect("Yakutsk");
    assert_eq!(
        yakutsk,
        json!({"country": "RU", "city": "Yakutsk", "shipments": 4, "before_handover": 4, "excluded": false})
    );

    let add = |body| {
        server.send(
            Method::POST,
            "/api/v1/delivery-geography/exclusions",
            Some(&token),
            Some(body),
        )
    };
    let (status, added) = add(json!({"country": "RU", "city": "Yakutsk"})).await;
    assert_eq!(
        (status, &added),
        (
            StatusCode::CREATED,
            &json!({"country": "RU", "city": "Yakutsk"})
        )
    );
    let (status, _) = add(json!({"country": "RU", "city": " yakutsk "})).await;
    assert_eq!(status, StatusCode::OK, "adding it again changes nothing");
    for bad in [
        json!({"country": "Russia", "city": "Yakutsk"}),
        json!({"country": "RU", "city": ""}),
        json!({"country": "RU"}),
    ] {
        let (status, problem) = add(bad).await;
        assert_eq!(
            (status, code(&problem)),
            (StatusCode::BAD_REQUEST, "malformed_request")
        );
    }
    let (_, geography) = server.get("/api/v1/delivery-geography", &token).await;
    assert_eq!(
        geography["exclusions"],
        json!([{"country": "RU", "city": "Yakutsk"}])
    );
    assert!(
        geography["destinations"]
            .as_array()
            .expect("destinations")
            .iter()
            .any(|d| d["city"] == "Yakutsk" && d["excluded"] == true)
    );
    let (_, theirs) = server.get("/api/v1/delivery-geography", &other).await;
    assert_eq!(
        theirs["exclusions"],
        json!([]),
        "exclusions belong to one seller"
    );
    let (status, _) = server
        .send(
            Method::DELETE,
            "/api/v1/delivery-geography/exclusions/RU/Yakutsk",
            Some(&other),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let response = server
        .client
        .delete(server.url("/api/v1/delivery-geography/exclusions/RU/Yakutsk"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let (status, problem) = server
        .send(
            Method::DELETE,
            "/api/v1/delivery-geography/exclusions/RU/Yakutsk",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        (status, code(&problem)),
        (StatusCode::NOT_FOUND, "not_found")
    );
}

#[tokio::test]
async fn the_metric_follows_the_rules_crate_and_counts_a_new_cancellation() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let (status, before) = server
        .get("/api/v1/metrics/cancellation-rate", &token)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (fixture, _) = server::demo::embedded().expect("the demo fixture");
    let facts = fixture.sellers[0]
        .shipments
        .iter()
        .map(|s| domain::metric::MetricFacts {
            cancelled_items: &[],
            created_at: s.created_at,
            cancellation: s.cancellation.as_ref(),
        });
    let expected = domain::metric::report(facts, Utc::now(), domain::DEFAULT_THRESHOLD);
    assert_eq!(before, serde_json::to_value(&expected).expect("JSON"));
    assert_eq!(before["series"].as_array().map(Vec::len), Some(14));
    assert!(
        before["seller_cancellations"]
            .as_u64()
            .is_some_and(|n| n > 0)
    );

    let pn = showcase(5);
    let version = server.version(&token, &pn).await;
    let (status, _, _) = server
        .intent(
            &format!("/api/v1/shipments/{pn}/cancel"),
            &token,
            "m-1",
            Some(version),
            json!({"reason": "customer_request"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, after) = server
        .get("/api/v1/metrics/cancellation-rate", &token)
        .await;
    assert_eq!(
        after["seller_cancellations"].as_u64(),
        before["seller_cancellations"].as_u64().map(|n| n + 1)
    );
    assert_eq!(after["shipments"], before["shipments"]);

    let (_, theirs) = server
        .get(
            "/api/v1/metrics/cancellation-rate",
            &server.token(OTHER_SELLER).await,
        )
        .await;
    assert_ne!(
        theirs["shipments"], after["shipments"],
        "each seller has its own metric"
    );
}

#[tokio::test]
async fn unknown_routes_and_methods_are_problems() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let (status, problem) = server.get("/api/v1/nothing", &token).await;
    assert_eq!(
        (status, code(&problem)),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let (status, problem) = server
        .send(Method::DELETE, "/api/v1/shipments", Some(&token), None)
        .await;
    assert_eq!(
        (status, code(&problem)),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
    let (status, problem) = server
        .send(Method::GET, "/api/v2/shipments", Some(&token), None)
        .await;
    assert_eq!(
        (status, code(&problem)),
        (StatusCode::NOT_FOUND, "not_found")
    );
}

#[tokio::test]
async fn the_threshold_comes_from_the_flag_else_the_fixture() {
    let flagged = TestServer::start_with(|config| {
        config.demo = true;
        config.threshold = Some(0.25);
    })
    .await;
    let token = flagged.token(DEMO_SELLER).await;
    let (_, rate) = flagged
        .get("/api/v1/metrics/cancellation-rate", &token)
        .await;
    assert_eq!(rate["threshold"], json!(0.25));

    let from_fixture =
        crate::common::with_fixture(|fixture| fixture.settings.threshold = 0.05).await;
    let token = from_fixture.token(DEMO_SELLER).await;
    let (_, rate) = from_fixture
        .get("/api/v1/metrics/cancellation-rate", &token)
        .await;
    assert_eq!(rate["threshold"], json!(0.05));
}
