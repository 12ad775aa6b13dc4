//! The cancellation history, its CSV export, the tab counts and the all-matching pre-check.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{DEMO_SELLER, OTHER_SELLER, TestServer, code, showcase};

/// Every page of the history under `query` (`limit` included), in order, and the totals each said.
async fn all_pages(server: &TestServer, token: &str, query: &str) -> (Vec<Value>, Vec<u64>, usize) {
    let mut items = Vec::new();
    let mut totals = Vec::new();
    let mut pages = 0;
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/history?{query}");
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={cursor}"));
        }
        let (status, body) = server.get(&path, token).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        pages += 1;
        totals.push(body["total"].as_u64().expect("a total"));
        items.extend(body["items"].as_array().expect("items").iter().cloned());
        match body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return (items, totals, pages),
        }
    }
}

fn posting_numbers(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| {
            i["posting_number"]
                .as_str()
                .expect("a posting number")
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn pages_walk_the_whole_history_newest_first_without_repeats() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let (items, totals, pages) = all_pages(&server, &token, "limit=7").await;
    assert!(
        pages >= 4,
        "the demo history needs several pages of 7: {pages}"
    );
    assert!(
        totals.iter().all(|t| *t == items.len() as u64),
        "{totals:?}"
    );
    let times: Vec<&str> = items
        .iter()
        .map(|i| i["requested_at"].as_str().expect("a time"))
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest request first");
    // One entry per stored cancellation: the database agrees on the number.
    let stored = server
        .count(
            "SELECT count(*) FROM cancellations c JOIN shipments s ON s.id = c.shipment_id \
             WHERE s.seller_id = $1",
            DEMO_SELLER,
        )
        .await;
    assert_eq!(items.len() as i64, stored);
    // The default page and one large page give the same entries.
    let (one_page, _, _) = all_pages(&server, &token, "limit=200").await;
    assert_eq!(one_page, items);
    // Every kind of the showcase is there with its details.
    let find = |pn: &str| {
        items
            .iter()
            .find(|i| i["posting_number"] == pn)
            .unwrap_or_else(|| panic!("{pn} in the history"))
    };
    assert_eq!(find(&showcase(22))["kind"], "rejected");
    assert!(find(&showcase(22))["provider_message"].is_string());
    assert_eq!(find(&showcase(23))["kind"], "cancelled_by_carrier");
    assert_eq!(find(&showcase(20))["kind"], "requested");
    assert_eq!(find(&showcase(17))["kind"], "cancelled_by_seller");
}

#[tokio::test]
async fn each_filter_keeps_exactly_its_entries() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let (all, _, _) = all_pages(&server, &token, "limit=200").await;
    let check = |query: &'static str, keep: &dyn Fn(&Value) -> bool| {
        let expected: Vec<Value> = all.iter().filter(|i| keep(i)).cloned().collect();
        (query, expected)
    };
    let cases = vec![
        check("kind=rejected", &|i| i["kind"] == "rejected"),
        check("kind=requested", &|i| i["kind"] == "requested"),
        check("kind=cancelled_by_seller", &|i| {
            i["kind"] == "cancelled_by_seller"
        }),
        check("kind=cancelled_by_carrier", &|i| {
            i["kind"] == "cancelled_by_carrier"
        }),
        check("reason=customer_request", &|i| {
            i["reason"] == "customer_request"
        }),
        check("reason=out_of_stock", &|i| i["reason"] == "out_of_stock"),
        check("initiator=carrier", &|i| i["initiator"] == "carrier"),
        check("initiator=seller", &|i| i["initiator"] == "seller"),
        check("from=2026-11-20&to=2026-11-22", &|i| {
            let at = i["requested_at"].as_str().unwrap_or_default();
            ("2026-11-20".."2026-11-23").contains(&at)
        }),
        check("to=2026-11-15", &|i| {
            i["requested_at"].as_str().unwrap_or_default() < "2026-11-16"
        }),
        check(
            "kind=cancelled_by_seller&reason=other&from=2026-11-01",
            &|i| {
                i["kind"] == "cancelled_by_seller"
                    && i["reason"] == "other"
                    && i["requested_at"].as_str().unwrap_or_default() >= "2026-11-01"
            },
        ),
    ];
    for (query, expected) in cases {
        assert!(!expected.is_empty(), "{query}: the demo data has some");
        assert!(
            expected.len() < all.len(),
            "{query}: the filter leaves some out"
        );
        let (items, totals, _) = all_pages(&server, &token, &format!("{query}&limit=3")).await;
        assert_eq!(items, expected, "{query}");
        assert_eq!(totals[0], expected.len() as u64, "{query}");
    }
}

#[tokio::test]
async fn bad_parameters_are_a_400_that_names_them() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let (_, list) = server.get("/api/v1/shipments?limit=1", &token).await;
    let list_cursor = list["next_cursor"]
        .as_str()
        .expect("a list cursor")
        .to_owned();
    let (_, page) = server.get("/api/v1/history?limit=1", &token).await;
    let cursor = page["next_cursor"].as_str().expect("a cursor").to_owned();
    for (query, parameter) in [
        ("kind=lost".to_owned(), "kind"),
        ("reason=bored".to_owned(), "reason"),
        ("initiator=buyer".to_owned(), "initiator"),
        ("from=2026-02-30".to_owned(), "from"),
        ("to=soon".to_owned(), "to"),
        ("from=2026-11-20&to=2026-11-10".to_owned(), "to"),
        ("limit=0".to_owned(), "limit"),
        ("limit=201".to_owned(), "limit"),
        ("limit=ten".to_owned(), "limit"),
        ("cursor=garbage".to_owned(), "cursor"),
        (format!("cursor={list_cursor}"), "cursor"),
        // A cursor is only good with the filters it was made under.
        (format!("kind=rejected&cursor={cursor}"), "cursor"),
        ("sort=created_at".to_owned(), "sort"),
        ("kind=rejected&kind=requested".to_owned(), "kind"),
    ] {
        let (status, body) = server
            .get(&format!("/api/v1/history?{query}"), &token)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_eq!(code(&body), "malformed_request", "{query}");
        assert_eq!(body["parameter"], parameter, "{query}: {body}");
    }
    // The export refuses the same, and paging, which it does not take.
    for (query, parameter) in [
        ("kind=lost", "kind"),
        ("cursor=x", "cursor"),
        ("limit=5", "limit"),
    ] {
        let response = server
            .client
            .get(server.url(&format!("/api/v1/history/export.csv?{query}")))
            .bearer_auth(&token)
            .send()
            .await
            .expect("an answer");
        let (status, body) = crate::common::read(response).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(body["parameter"], parameter, "{query}");
    }
    // Without a token, nothing.
    let (status, _) = server
        .send(Method::GET, "/api/v1/history", None, None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn no_seller_sees_another_sellers_history() {
    let server = TestServer::demo().await;
    let mine = server.token(DEMO_SELLER).await;
    let theirs = server.token(OTHER_SELLER).await;
    let (my_items, _, _) = all_pages(&server, &mine, "limit=200").await;
    let (their_items, _, _) = all_pages(&server, &theirs, "limit=200").await;
    let my_numbers: BTreeSet<String> = posting_numbers(&my_items).into_iter().collect();
    let their_numbers: BTreeSet<String> = posting_numbers(&their_items).into_iter().collect();
    assert!(!their_numbers.is_empty() && !my_numbers.is_empty());
    assert!(my_numbers.is_disjoint(&their_numbers));
    let owned = server
        .count(
            "SELECT count(*) FROM cancellations c JOIN shipments s ON s.id = c.shipment_id \
             WHERE s.seller_id = $1",
            OTHER_SELLER,
        )
        .await;
    assert_eq!(their_items.len() as i64, owned);
    // My cursor is not theirs to use.
    let (_, page) = server.get("/api/v1/history?limit=1", &mine).await;
    let cursor = page["next_cursor"].as_str().expect("a cursor");
    let (status, body) = server
        .get(&format!("/api/v1/history?limit=1&cursor={cursor}"), &theirs)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["parameter"], "cursor");
    // Nor is my history in their export.
    let csv = export(&server, &theirs, "").await;
    for number in &my_numbers {
        assert!(!csv.contains(number.as_str()), "{number}");
    }
}

/// The export's body as text, after checking its headers.
async fn export(server: &TestServer, token: &str, query: &str) -> String {
    let response = server
        .client
        .get(server.url(&format!("/api/v1/history/export.csv?{query}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(
        headers[reqwest::header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    assert_eq!(
        headers[reqwest::header::CONTENT_DISPOSITION],
        "attachment; filename=\"cancellations.csv\""
    );
    let bytes = response.bytes().await.expect("a body");
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "a UTF-8 byte-order mark"
    );
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

fn records(csv_text: &str) -> Vec<csv::StringRecord> {
    let body = csv_text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes());
    reader
        .records()
        .collect::<Result<Vec<_>, _>>()
        .expect("well-formed CSV")
}

#[tokio::test]
async fn the_export_is_the_filtered_history_quoted_and_defused() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    // Descriptions a spreadsheet would run, one with quotes, commas and a line of Chinese and Russian.
    let dangerous = [
        (showcase(2), "=HYPERLINK(\"http://evil\",\"click\")"),
        (showcase(5), "+1, \"quoted\" and 中文 по-русски"),
        (showcase(8), "-2+3"),
        (showcase(6), "@SUM(A1:A9)"),
    ];
    for (i, (pn, comment)) in dangerous.iter().enumerate() {
        let version = server.version(&token, pn).await;
        let (status, body, _) = server
            .intent(
                &format!("/api/v1/shipments/{pn}/cancel"),
                &token,
                &format!("csv-{i}"),
                Some(version),
                json!({"reason": "other", "comment": comment}),
            )
            .await;
        assert!(status.is_success(), "{pn}: {body}");
    }
    let text = export(&server, &token, "").await;
    assert!(text.contains("\r\n"), "CRLF line ends");
    let rows = records(&text);
    assert_eq!(
        rows[0].iter().collect::<Vec<_>>(),
        domain::api::history::CSV_COLUMNS.to_vec()
    );
    let (all, _, _) = all_pages(&server, &token, "limit=200").await;
    assert_eq!(rows.len() - 1, all.len(), "one row per entry");
    assert_eq!(
        rows[1..]
            .iter()
            .map(|r| r[0].to_owned())
            .collect::<Vec<_>>(),
        posting_numbers(&all),
        "in the history's order"
    );
    for (pn, comment) in dangerous {
        let row = rows
            .iter()
            .find(|r| r[0] == *pn)
            .unwrap_or_else(|| panic!("{pn} exported"));
        assert_eq!(
            &row[4],
            format!("'{comment}"),
            "{pn}: defused, then unquoted intact"
        );
        assert_eq!(&row[2], "cancelled_by_seller");
        assert_eq!(&row[5], "seller");
    }
    // The quoting itself, as a spreadsheet reads it.
    assert!(
        text.contains("\"'+1, \"\"quoted\"\" and 中文 по-русски\""),
        "{text}"
    );
    // A browser asks for it compressed: the stream ends cleanly through the compression too.
    let compressed = server
        .client
        .get(server.url("/api/v1/history/export.csv"))
        .bearer_auth(&token)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("an answer");
    assert_eq!(compressed.status(), StatusCode::OK);
    assert_eq!(
        compressed.headers()[reqwest::header::CONTENT_ENCODING],
        "gzip"
    );
    let gzipped = compressed.bytes().await.expect("the whole compressed body");
    assert!(gzipped.starts_with(&[0x1f, 0x8b]), "a gzip stream");
    // A filtered export holds exactly the filtered history.
    let rejected = records(&export(&server, &token, "kind=rejected").await);
    let (rejected_items, _, _) = all_pages(&server, &token, "kind=rejected&limit=200").await;
    assert_eq!(rejected.len() - 1, rejected_items.len());
    assert!(rejected[1..].iter().all(|r| &r[2] == "rejected"));
}

#[tokio::test]
async fn the_export_streams_a_history_longer_than_one_batch() {
    // 2,500 carrier cancellations: three batches of the export.
    let server = crate::common::with_fixture(|fixture| {
        let seller = &mut fixture.sellers[0];
        let template = seller.shipments[0].clone();
        for n in 0..2_500 {
            let mut shipment = template.clone();
            shipment.posting_number = format!("77000000-{n:05}-1");
            shipment.order_number = format!("77000000-{n:05}");
            shipment.status = domain::Status::Cancelled;
            shipment.cancellation = Some(domain::Cancellation {
                state: domain::CancellationState::Cancelled,
                reason: None,
                comment: None,
                initiator: domain::Initiator::Carrier,
                requested_at: "2026-10-01T00:00:00Z"
                    .parse::<chrono::DateTime<chrono::Utc>>()
                    .expect("a time")
                    + chrono::Duration::minutes(n),
                decided_at: None,
                provider_message: None,
            });
            shipment.provider_decision = None;
            seller.shipments.push(shipment);
        }
    })
    .await;
    let token = server.token(DEMO_SELLER).await;
    let rows = records(&export(&server, &token, "initiator=carrier").await);
    let (_, page) = server
        .get("/api/v1/history?initiator=carrier&limit=1", &token)
        .await;
    assert_eq!(
        rows.len() as u64 - 1,
        page["total"].as_u64().expect("a total")
    );
    assert!(rows.len() > 2_500);
    let unique: BTreeSet<&str> = rows[1..]
        .iter()
        .map(|r| r.get(0).unwrap_or_default())
        .collect();
    assert_eq!(
        unique.len(),
        rows.len() - 1,
        "no entry twice across batches"
    );
}

#[tokio::test]
async fn tab_counts_come_in_one_answer_and_match_the_list() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    for filter in [
        "",
        "delivery=partner",
        "city=yakutsk",
        "q=phone",
        "q=87",
        "provider=Cainiao&delivery=partner",
    ] {
        let (status, counts) = server
            .get(&format!("/api/v1/shipments/counts?{filter}"), &token)
            .await;
        assert_eq!(status, StatusCode::OK, "{filter}: {counts}");
        let statuses = counts["statuses"].as_array().expect("statuses");
        assert_eq!(statuses.len(), domain::Status::ALL.len());
        for entry in statuses {
            let status = entry["status"].as_str().expect("a status");
            let (_, page) = server
                .get(
                    &format!("/api/v1/shipments?{filter}&status={status}&limit=1"),
                    &token,
                )
                .await;
            assert_eq!(entry["shipments"], page["total"], "{filter} {status}");
        }
        let (_, all) = server
            .get(&format!("/api/v1/shipments?{filter}&limit=1"), &token)
            .await;
        assert_eq!(counts["total"], all["total"], "{filter}");
    }
    for (query, detail) in [
        ("status=delivered", "status"),
        ("delivery=boat", "delivery"),
        ("limit=1", "limit"),
    ] {
        let (status, body) = server
            .get(&format!("/api/v1/shipments/counts?{query}"), &token)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(
            body["detail"].as_str().unwrap_or_default().contains(detail),
            "{body}"
        );
    }
}

#[tokio::test]
async fn all_matching_is_prechecked_then_cancelled_per_shipment_with_versions() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let request = json!({
        "filter": {"city": "Yakutsk"},
        "reason": "undeliverable_address",
        "limit": 10_000,
    });
    let (status, precheck) = server
        .send(
            Method::POST,
            "/api/v1/shipments/cancel/precheck",
            Some(&token),
            Some(request.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{precheck}");
    let (_, listed) = server
        .get("/api/v1/shipments?city=Yakutsk&limit=200", &token)
        .await;
    assert_eq!(precheck["matching"], listed["total"]);
    assert_eq!(precheck["considered"], listed["total"]);
    let eligible = precheck["eligible"].as_array().expect("eligible").clone();
    let expected: Vec<&Value> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|s| {
            s["eligibility"]["reasons"]
                .as_array()
                .is_some_and(|r| r.iter().any(|r| r == "undeliverable_address"))
        })
        .collect();
    assert_eq!(eligible.len(), expected.len());
    assert!(eligible.len() >= 4, "the showcase's four to Yakutsk");
    let skipped: u64 = precheck["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| s["shipments"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(
        skipped + eligible.len() as u64,
        listed["total"].as_u64().unwrap_or(0)
    );
    // Nothing changed.
    let (_, again) = server
        .send(
            Method::POST,
            "/api/v1/shipments/cancel/precheck",
            Some(&token),
            Some(request),
        )
        .await;
    assert_eq!(again, precheck);

    // One shipment moves on after the pre-check (the carrier takes it): it is not cancelled
    // blindly, it comes back with its current state.
    let moved = eligible[0]["posting_number"]
        .as_str()
        .expect("a number")
        .to_owned();
    let (status, body, _) = server
        .intent(
            &format!("/api/v1/dev/shipments/{moved}/status"),
            &token,
            "move-1",
            None,
            json!({"status": "in_transit"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let numbers: Vec<&Value> = eligible.iter().map(|e| &e["posting_number"]).collect();
    let versions: Vec<&Value> = eligible.iter().map(|e| &e["version"]).collect();
    let (status, results, _) = server
        .intent(
            "/api/v1/shipments/cancel",
            &token,
            "all-matching-1",
            None,
            json!({"posting_numbers": numbers, "versions": versions, "reason": "undeliverable_address"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{results}");
    let results = results["results"].as_array().expect("results");
    assert_eq!(results.len(), eligible.len());
    assert_eq!(results[0]["outcome"], "skipped");
    assert_eq!(results[0]["code"], "version_mismatch");
    assert_eq!(results[0]["shipment"]["posting_number"], moved.as_str());
    assert!(
        results[1..].iter().all(|r| r["outcome"] == "cancelled"),
        "{results:?}"
    );

    // The versions must pair with the posting numbers.
    let (status, body, _) = server
        .intent(
            "/api/v1/shipments/cancel",
            &token,
            "all-matching-2",
            None,
            json!({"posting_numbers": ["a", "b"], "versions": [1], "reason": "customer_request"}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_versions")),
        "{body}"
    );
    assert_eq!(body["parameter"], "versions");
}

#[tokio::test]
async fn the_precheck_refuses_bad_input_and_sees_only_the_sellers_shipments() {
    let server = TestServer::demo().await;
    let mine = server.token(DEMO_SELLER).await;
    let theirs = server.token(OTHER_SELLER).await;
    for (body, expected) in [
        (
            json!({"filter": {}, "reason": "customer_request", "limit": 0}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"filter": {}, "reason": "customer_request", "limit": 10_001}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"filter": {"status": ["lost"]}, "reason": "customer_request", "limit": 5}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"filter": {"colour": "red"}, "reason": "customer_request", "limit": 5}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"filter": {}, "reason": "other", "comment": "  ", "limit": 5}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"filter": {}, "reason": "other", "comment": "a\u{202e}b", "limit": 5}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        // No description yet: the seller picks the reason first; the cancellation checks it.
        (
            json!({"filter": {}, "reason": "other", "limit": 5}),
            StatusCode::OK,
        ),
    ] {
        let (status, answer) = server
            .send(
                Method::POST,
                "/api/v1/shipments/cancel/precheck",
                Some(&mine),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, expected, "{body}: {answer}");
    }
    let (_, mine_all) = server
        .send(
            Method::POST,
            "/api/v1/shipments/cancel/precheck",
            Some(&mine),
            Some(json!({"filter": {}, "reason": "customer_request", "limit": 10_000})),
        )
        .await;
    let (_, theirs_all) = server
        .send(
            Method::POST,
            "/api/v1/shipments/cancel/precheck",
            Some(&theirs),
            Some(json!({"filter": {}, "reason": "customer_request", "limit": 10_000})),
        )
        .await;
    let (_, their_list) = server.get("/api/v1/shipments?limit=1", &theirs).await;
    assert_eq!(theirs_all["matching"], their_list["total"]);
    let my_numbers: BTreeSet<&str> = mine_all["eligible"]
        .as_array()
        .expect("eligible")
        .iter()
        .filter_map(|e| e["posting_number"].as_str())
        .collect();
    assert!(
        theirs_all["eligible"]
            .as_array()
            .expect("eligible")
            .iter()
            .all(|e| !my_numbers.contains(e["posting_number"].as_str().unwrap_or_default()))
    );
    // A limit cuts what is judged, not what matches.
    let (_, limited) = server
        .send(
            Method::POST,
            "/api/v1/shipments/cancel/precheck",
            Some(&mine),
            Some(json!({"filter": {}, "reason": "customer_request", "limit": 10})),
        )
        .await;
    assert_eq!(limited["considered"], 10);
    assert_eq!(limited["matching"], mine_all["matching"]);
}
