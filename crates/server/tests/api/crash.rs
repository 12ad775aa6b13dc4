//! The spawned binary: SIGKILL in the middle of a burst, and pending provider requests across a restart.

use std::ffi::OsStr;
use std::path::Path;
use std::time::Duration;

use reqwest::StatusCode;
use rusqlite::OptionalExtension;
use serde_json::{Value, json};
use tokio::process::Child;
use tokio::task::JoinSet;

use crate::common::{DEMO_SELLER, EventStream};
use crate::process::spawn_server;

const SECRET: &str = "crash-test-secret-2f9c81d07be34a6a95c0e4d1f7b2";

/// Starts the binary on the SQLite file `db` with `extra` arguments.
pub async fn spawn(db: &Path, extra: &[&str]) -> (Child, String) {
    let mut args = vec![OsStr::new("--db"), db.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    spawn_server(args, SECRET, Duration::from_secs(30)).await
}

/// A demo token for the demo seller from the spawned server at `base`.
pub async fn dev_token(client: &reqwest::Client, base: &str) -> String {
    crate::process::dev_token(client, base, DEMO_SELLER).await
}

struct Row {
    status: String,
    version: i64,
    reason: Option<String>,
    stored_status: Option<i64>,
}

fn row(conn: &rusqlite::Connection, pn: &str) -> Row {
    conn.query_row(
        "SELECT s.status, s.version, c.reason,
                (SELECT i.status FROM idempotency i WHERE i.key = 'crash-' || s.posting_number)
         FROM shipments s LEFT JOIN cancellations c ON c.id = s.cancellation_id WHERE s.posting_number = ?1",
        [pn],
        |r| Ok(Row { status: r.get(0)?, version: r.get(1)?, reason: r.get(2)?, stored_status: r.get(3)? }),
    )
    .expect("the shipment")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_during_a_burst_leaves_each_shipment_fully_cancelled_or_untouched() {
    let dir = tempfile::tempdir().expect("a directory");
    let db = dir.path().join("crash.sqlite3");
    let (mut child, base) = spawn(&db, &["--demo"]).await;
    let client = reqwest::Client::new();
    let token = dev_token(&client, &base).await;
    let page: Value = client
        .get(format!("{base}/api/v1/shipments?status=awaiting_packaging,awaiting_shipment,ready_for_shipment&limit=200"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    let targets: Vec<(String, u64)> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|s| {
            (
                s["posting_number"].as_str().expect("pn").to_owned(),
                s["version"].as_u64().expect("v"),
            )
        })
        .collect();
    assert!(
        targets.len() >= 30,
        "enough shipments for a burst: {}",
        targets.len()
    );

    // Eight clients, each sending its share of the targets one after another, so that whenever
    // the first answer comes the burst is still going: at most one request per client has been
    // answered or is in flight, and the rest are not sent yet. (Sending all at once let the group
    // commit take every one into one or two batches, answered together, which left nothing in
    // flight to kill.)
    const CLIENTS: usize = 8;
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut burst = JoinSet::new();
    for lane in 0..CLIENTS {
        let share: Vec<(String, u64)> = targets
            .iter()
            .skip(lane)
            .step_by(CLIENTS)
            .cloned()
            .collect();
        let (client, base, token, done) =
            (client.clone(), base.clone(), token.clone(), done_tx.clone());
        burst.spawn(async move {
            let mut statuses = Vec::new();
            for (pn, version) in share {
                let answer = client
                    .post(format!("{base}/api/v1/shipments/{pn}/cancel"))
                    .bearer_auth(&token)
                    .header("idempotency-key", format!("crash-{pn}"))
                    .header("if-match", format!("\"{version}\""))
                    .json(&json!({"reason": "out_of_stock"}))
                    .send()
                    .await;
                let status = answer.map(|a| a.status()).ok();
                // The receiver is dropped once the server is killed; later sends have no one to tell.
                let _ = done.send(());
                statuses.push((pn, status));
            }
            statuses
        });
    }
    // Kill at the first answer: the other clients' requests are in flight, most are not sent.
    done_rx.recv().await.expect("a cancellation finished");
    drop(done_rx);
    child.start_kill().expect("SIGKILL");
    child.wait().await.expect("the process ended");
    let mut answered_ok = Vec::new();
    while let Some(result) = burst.join_next().await {
        for (pn, status) in result.expect("the task ran") {
            if status == Some(StatusCode::OK) {
                answered_ok.push(pn);
            }
        }
    }
    assert!(
        !answered_ok.is_empty() && answered_ok.len() < targets.len(),
        "{} answered",
        answered_ok.len()
    );

    let conn = rusqlite::Connection::open(&db).expect("the database");
    let mut cancelled = 0;
    for (pn, version) in &targets {
        let row = row(&conn, pn);
        if row.status == "cancelled" {
            cancelled += 1;
            assert_eq!(row.reason.as_deref(), Some("out_of_stock"), "{pn}");
            assert_eq!(row.version, *version as i64 + 1, "{pn}");
            assert_eq!(
                row.stored_status,
                Some(200),
                "{pn}: the response was stored with the change"
            );
            let unreset: Option<i64> = conn
                .query_row(
                    "SELECT st.quantity FROM shipments s JOIN shipment_lines l ON l.shipment_id = s.id
                     JOIN stock st ON st.seller_id = s.seller_id AND st.sku = l.sku AND st.warehouse_id = s.warehouse_id
                     WHERE s.posting_number = ?1 AND st.quantity <> 0",
                    [pn],
                    |r| r.get(0),
                )
                .optional()
                .expect("a query");
            assert_eq!(unreset, None, "{pn}: its stock was reset");
        } else {
            assert_eq!(
                (row.version, row.reason, row.stored_status),
                (*version as i64, None, None),
                "{pn} is untouched"
            );
        }
    }
    for pn in &answered_ok {
        assert_eq!(
            row(&conn, pn).status,
            "cancelled",
            "{pn}: an answered cancellation is durable"
        );
    }
    drop(conn);

    let (_child, base) = spawn(&db, &["--demo"]).await;
    let token = dev_token(&client, &base).await;
    let pn = &answered_ok[0];
    let version = targets
        .iter()
        .find(|(p, _)| p == pn)
        .map(|(_, v)| *v)
        .expect("a target");
    let replay = client
        .post(format!("{base}/api/v1/shipments/{pn}/cancel"))
        .bearer_auth(&token)
        .header("idempotency-key", format!("crash-{pn}"))
        .header("if-match", format!("\"{version}\""))
        .json(&json!({"reason": "out_of_stock"}))
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        replay.status(),
        StatusCode::OK,
        "after a restart the stored answer replays"
    );
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert!(cancelled >= answered_ok.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pending_provider_request_survives_a_restart_and_is_answered_after_it() {
    let dir = tempfile::tempdir().expect("a directory");
    let db = dir.path().join("restart.sqlite3");
    let (mut fixture, _) = server::demo::embedded().expect("the demo fixture");
    let pending = fixture.sellers[0]
        .shipments
        .iter_mut()
        .find(|s| s.cancellation.as_ref().is_some_and(|c| c.is_pending()))
        .expect("a pending request");
    pending.provider_decision = Some(domain::fixture::ProviderDecision {
        decision: domain::fixture::Decision::Reject,
        after_ms: 3_000,
        message: Some("Too late".to_owned()),
    });
    let pn = pending.posting_number.clone();
    let seed = dir.path().join("seed.json");
    std::fs::write(&seed, serde_json::to_vec(&fixture).expect("JSON")).expect("written");
    let seed = seed.to_str().expect("a path").to_owned();

    let (mut child, _) = spawn(&db, &["--demo", "--seed", &seed]).await;
    child.start_kill().expect("SIGKILL");
    child.wait().await.expect("ended");
    let conn = rusqlite::Connection::open(&db).expect("the database");
    let waiting: i64 = conn
        .query_row("SELECT count(*) FROM provider_requests", [], |r| r.get(0))
        .expect("a count");
    assert!(waiting >= 1, "the request is stored, not held in memory");
    drop(conn);

    let (_child, base) = spawn(&db, &["--demo", "--seed", &seed]).await;
    let client = reqwest::Client::new();
    let token = dev_token(&client, &base).await;
    let response = client
        .get(format!("{base}/api/v1/events"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("a stream");
    let mut events = EventStream::from_response(response).await;
    let current: domain::Shipment = client
        .get(format!("{base}/api/v1/shipments/{pn}"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("a shipment");
    let decided = if current
        .cancellation
        .as_ref()
        .is_some_and(|c| c.is_pending())
    {
        events.shipment(&pn).await
    } else {
        current
    };
    let cancellation = decided.cancellation.expect("a cancellation");
    assert_eq!(cancellation.state, domain::CancellationState::Rejected);
    assert_eq!(cancellation.provider_message.as_deref(), Some("Too late"));
}
