//! Two server processes on one PostgreSQL database, reached over real HTTP (issue 15 §3): what must
//! happen once happens once across them, changes made through one reach the other's streams, and a
//! kill -9 of one leaves no half state while the other answers and takes the provider over.
//!
//! Each instance is the real binary (`CARGO_BIN_EXE_server`), a child process of the test, so that
//! a SIGKILL ends it as a crash would: its sessions close, its advisory locks go, and whatever it
//! had not committed is rolled back by PostgreSQL.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection};
use tokio::process::Child;
use tokio::task::JoinSet;

use crate::pg;
use crate::process::spawn_server;
use crate::sse::EventStream;

const SECRET: &str = "instances-test-secret-4b7e21c9d0a34f58b6e1";
const SELLER: &str = "s-1001";
/// How long a takeover or a cross-instance event may take: the lock is retried every second
/// (`leader::RETRY_EVERY`); this is generous for a loaded machine.
const WITHIN: Duration = Duration::from_secs(20);

/// One server process on the shared database.
struct Instance {
    child: Child,
    base: String,
}

impl Instance {
    /// Starts the binary in demo mode on `url` and waits for its `listening on` line. Every
    /// instance has the same token secret, so a token of one is good on the other (as behind a
    /// load balancer).
    async fn start(url: &str) -> Instance {
        let (child, base) =
            spawn_server(["--demo", "--db", url], SECRET, Duration::from_secs(60)).await;
        Instance { child, base }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// kill -9, and the process reaped.
    async fn kill(&mut self) {
        self.child.start_kill().expect("SIGKILL");
        self.child.wait().await.expect("the process ended");
    }
}

/// Two instances started at the same moment on a new database: both seed the demo fixture's
/// empty database at once, and it is loaded once (`seed::load` locks the sellers' table).
async fn two_instances() -> (String, Instance, Instance) {
    let url = pg::fresh_database().await;
    let (a, b) = tokio::join!(Instance::start(&url), Instance::start(&url));
    (url, a, b)
}

/// The longest a plain request may take: one that hangs fails the test instead of stalling it.
/// (Event streams are read under their own deadline, `WITHIN`.)
const REQUEST_WITHIN: Duration = Duration::from_secs(30);

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(REQUEST_WITHIN)
        .build()
        .expect("an HTTP client")
}

async fn token(client: &reqwest::Client, instance: &Instance) -> String {
    crate::process::dev_token(client, &instance.base, SELLER).await
}

/// Shipments of the demo seller in `status` that have never been cancelled, with their versions,
/// read from the database (the test picks its targets without going through either instance).
async fn shipments_in(db: &mut PgConnection, status: &str, limit: i64) -> Vec<(String, u64)> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT posting_number, version FROM shipments \
         WHERE seller_id = $1 AND status = $2 AND cancellation_id IS NULL \
         ORDER BY id LIMIT $3",
    )
    .bind(SELLER)
    .bind(status)
    .bind(limit)
    .fetch_all(db)
    .await
    .expect("shipments");
    rows.into_iter()
        .map(|(pn, version)| (pn, u64::try_from(version).expect("a version")))
        .collect()
}

async fn cancellations_of(db: &mut PgConnection, pn: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM cancellations c JOIN shipments s ON s.id = c.shipment_id \
         WHERE s.posting_number = $1",
    )
    .bind(pn)
    .fetch_one(db)
    .await
    .expect("a count")
}

/// One cancellation request; `None` when no answer came (the instance died).
async fn cancel(
    client: &reqwest::Client,
    instance_base: &str,
    token: &str,
    pn: &str,
    key: &str,
    version: u64,
    body: &Value,
) -> Option<(StatusCode, bool, Value)> {
    let answer = client
        .post(format!("{instance_base}/api/v1/shipments/{pn}/cancel"))
        .bearer_auth(token)
        .header("idempotency-key", key)
        .header("if-match", format!("\"{version}\""))
        .json(body)
        .timeout(REQUEST_WITHIN)
        .send()
        .await
        .ok()?;
    let status = answer.status();
    let replayed = answer
        .headers()
        .get("idempotent-replayed")
        .is_some_and(|v| v == "true");
    let body = answer.json().await.ok()?;
    Some((status, replayed, body))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn fifty_calls_with_one_key_over_two_instances_act_once_and_give_one_answer() {
    let (url, a, b) = two_instances().await;
    let mut db = PgConnection::connect(&url).await.expect("connects");
    let seeded: i64 = sqlx::query_scalar("SELECT count(*) FROM sellers")
        .fetch_one(&mut db)
        .await
        .expect("a count");
    assert_eq!(seeded, 2, "two instances starting together seed once");
    let client = client();
    let token = token(&client, &a).await;
    let (pn, version) = shipments_in(&mut db, "awaiting_packaging", 1).await[0].clone();
    let body = json!({"reason": "customer_request"});

    // 50 calls, alternately to each instance, all at once. One that finds the key in flight on
    // either instance is told 409 `request_in_flight` with Retry-After, and retries, as the API
    // asks a client to; every call ends with the stored answer.
    let mut calls = JoinSet::new();
    for i in 0..50 {
        let base = if i % 2 == 0 { &a.base } else { &b.base };
        let (client, base, token, pn, body) = (
            client.clone(),
            base.clone(),
            token.clone(),
            pn.clone(),
            body.clone(),
        );
        calls.spawn(async move {
            let mut in_flight = 0;
            loop {
                let (status, replayed, answer) = cancel(
                    &client,
                    &base,
                    &token,
                    &pn,
                    "one-key-two-instances",
                    version,
                    &body,
                )
                .await
                .expect("an answer");
                if status == StatusCode::CONFLICT && answer["code"] == "request_in_flight" {
                    in_flight += 1;
                    assert!(in_flight < 500, "the key stays in flight: {answer}");
                    // The answer's Retry-After is 1 s; a shorter pause keeps the test short and
                    // changes nothing about what is checked.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
                return (status, replayed, answer, in_flight);
            }
        });
    }
    let mut answers = Vec::new();
    let mut in_flight = 0;
    while let Some(result) = calls.join_next().await {
        let (status, replayed, answer, retries) = result.expect("the call ran");
        in_flight += retries;
        answers.push((status, replayed, answer));
    }
    let originals = answers.iter().filter(|(_, replayed, _)| !replayed).count();
    let mut statuses: HashMap<StatusCode, usize> = HashMap::new();
    for (status, _, _) in &answers {
        *statuses.entry(*status).or_default() += 1;
    }
    assert_eq!(originals, 1, "one answer, the rest replays: {statuses:?}");
    let (status, _, first) = &answers[0];
    assert_eq!(*status, StatusCode::OK, "{first}");
    assert!(
        answers
            .iter()
            .all(|(s, _, answer)| s == status && answer == first),
        "every reply is the same: {statuses:?}"
    );
    assert_eq!(first["status"], "cancelled", "{first}");
    assert_eq!(cancellations_of(&mut db, &pn).await, 1, "one effect");
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM idempotency WHERE seller_id = $1 AND key = $2")
            .bind(SELLER)
            .bind("one-key-two-instances")
            .fetch_one(&mut db)
            .await
            .expect("a count");
    assert_eq!(stored, 1);
    println!(
        "50 calls over two instances: {in_flight} answers of 409 request_in_flight on the way"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn thirty_keys_on_one_version_over_two_instances_give_exactly_one_success() {
    let (url, a, b) = two_instances().await;
    let mut db = PgConnection::connect(&url).await.expect("connects");
    let client = client();
    let token = token(&client, &b).await;
    let (pn, version) = shipments_in(&mut db, "awaiting_packaging", 1).await[0].clone();

    let mut calls = JoinSet::new();
    for i in 0..30 {
        let base = if i % 2 == 0 { &a.base } else { &b.base };
        let (client, base, token, pn) = (client.clone(), base.clone(), token.clone(), pn.clone());
        calls.spawn(async move {
            let body = json!({"reason": "other", "comment": format!("attempt {i}")});
            cancel(
                &client,
                &base,
                &token,
                &pn,
                &format!("key-{i}"),
                version,
                &body,
            )
            .await
            .expect("an answer")
        });
    }
    let mut statuses: HashMap<StatusCode, usize> = HashMap::new();
    while let Some(result) = calls.join_next().await {
        let (status, _, body) = result.expect("the call ran");
        *statuses.entry(status).or_default() += 1;
        match status {
            StatusCode::OK => assert_eq!(body["status"], "cancelled", "{body}"),
            // The losers see the winner's result: the version moved on (If-Match).
            StatusCode::PRECONDITION_FAILED => {
                assert_eq!(body["code"], "version_mismatch", "{body}");
                assert_eq!(body["shipment"]["status"], "cancelled", "{body}");
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(statuses.get(&StatusCode::OK), Some(&1), "{statuses:?}");
    assert_eq!(
        statuses.get(&StatusCode::PRECONDITION_FAILED),
        Some(&29),
        "{statuses:?}"
    );
    assert_eq!(cancellations_of(&mut db, &pn).await, 1);
    let stored_version: i64 =
        sqlx::query_scalar("SELECT version FROM shipments WHERE posting_number = $1")
            .bind(&pn)
            .fetch_one(&mut db)
            .await
            .expect("a version");
    assert_eq!(stored_version, version as i64 + 1, "one change");
}

/// The client side of `GET /api/v1/events` on one instance.
struct Events {
    stream: EventStream,
}

impl Events {
    async fn open(client: &reqwest::Client, instance: &Instance, token: &str) -> Events {
        let response = client
            .get(instance.url("/api/v1/events"))
            .bearer_auth(token)
            .send()
            .await
            .expect("the stream opens");
        Events {
            stream: EventStream::from_response(response).await,
        }
    }

    /// The next update of `pn` that satisfies `wanted` within `WITHIN`, skipping everything else
    /// (other shipments, keep-alive comments).
    async fn shipment_where(&mut self, pn: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let heard = tokio::time::timeout(WITHIN, async {
            loop {
                let (event, data) = self.stream.next_block().await;
                if event != "shipment" {
                    continue;
                }
                let shipment: Value = serde_json::from_str(&data).expect("a shipment");
                if shipment["posting_number"] == pn && wanted(&shipment) {
                    return shipment;
                }
            }
        })
        .await;
        heard.unwrap_or_else(|_| panic!("no such update of {pn} within {WITHIN:?}"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn a_provider_decision_through_one_instance_reaches_a_stream_of_the_other() {
    let (url, a, b) = two_instances().await;
    let mut db = PgConnection::connect(&url).await.expect("connects");
    let client = client();
    let token = token(&client, &a).await;
    let mut stream_on_b = Events::open(&client, &b, &token).await;

    // A parcel in transit: its cancellation is a request to the provider (202), answered later.
    let candidates = shipments_in(&mut db, "in_transit", 50).await;
    let mut requested = None;
    for (pn, version) in candidates {
        let body = json!({"reason": "customer_request"});
        let (status, _, answer) = cancel(
            &client,
            &a.base,
            &token,
            &pn,
            &format!("sse-{pn}"),
            version,
            &body,
        )
        .await
        .expect("an answer");
        if status == StatusCode::ACCEPTED {
            requested = Some(pn);
            break;
        }
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    }
    let pn = requested.expect("an in-transit shipment whose cancellation goes to the provider");
    // B's stream hears the request made through A ...
    let pending = stream_on_b
        .shipment_where(&pn, |s| s["cancellation"]["state"] == "requested")
        .await;
    assert_eq!(pending["status"], "in_transit");

    // ... and the provider's answer, given through A's demo endpoint, reaches B's stream.
    let decided = client
        .post(a.url(&format!("/api/v1/dev/shipments/{pn}/provider-decision")))
        .bearer_auth(&token)
        .json(&json!({"decision": "reject", "message": "Too late to stop it"}))
        .timeout(REQUEST_WITHIN)
        .send()
        .await
        .expect("an answer");
    assert_eq!(decided.status(), StatusCode::OK);
    let heard = stream_on_b
        .shipment_where(&pn, |s| s["cancellation"]["state"] != "requested")
        .await;
    assert_eq!(heard["cancellation"]["state"], "rejected", "{heard}");
    assert_eq!(
        heard["cancellation"]["provider_message"], "Too late to stop it",
        "{heard}"
    );
    assert_eq!(heard["status"], "in_transit", "{heard}");
}

/// The backend process ids holding the provider simulation's advisory lock in this database.
async fn provider_lock_holders(db: &mut PgConnection) -> Vec<i32> {
    sqlx::query_scalar(
        "SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted \
         AND ((l.classid::bigint << 32) | l.objid::bigint) = $1 AND l.objsubid = 1 \
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .bind(server::leader::PROVIDER_LOCK_KEY)
    .fetch_all(db)
    .await
    .expect("pg_locks")
}

type Check<'c> = std::pin::Pin<Box<dyn std::future::Future<Output = bool> + Send + 'c>>;

/// Polls `check` on the database until it is true, failing after `WITHIN`; returns how long it
/// took. (Waiting for a state another process reaches, never a fixed sleep.)
async fn until(
    what: &str,
    db: &mut PgConnection,
    check: impl for<'c> Fn(&'c mut PgConnection) -> Check<'c>,
) -> Duration {
    let start = Instant::now();
    loop {
        if check(db).await {
            return start.elapsed();
        }
        assert!(start.elapsed() < WITHIN, "not within {WITHIN:?}: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn kill_9_of_one_instance_in_a_burst_leaves_no_half_state_and_the_other_takes_over() {
    // A starts alone and takes the provider lock; B starts once A holds it.
    let url = pg::fresh_database().await;
    let mut db = PgConnection::connect(&url).await.expect("connects");
    let mut a = Instance::start(&url).await;
    until("the first instance drives the provider", &mut db, |db| {
        Box::pin(async move { provider_lock_holders(db).await.len() == 1 })
    })
    .await;
    let held_by_a = provider_lock_holders(&mut db).await;
    let b = Instance::start(&url).await;
    let client = client();
    let token = token(&client, &b).await;

    let mut targets = shipments_in(&mut db, "awaiting_packaging", 200).await;
    targets.extend(shipments_in(&mut db, "awaiting_shipment", 200).await);
    assert!(targets.len() >= 40, "enough for a burst: {}", targets.len());
    // Kept aside for after the kill: a cancellation through the survivor.
    let (spare_pn, spare_version) = targets.pop().expect("a spare");

    // Eight clients, each sending its share one after another, alternating instances: when the
    // first answer comes, most of the burst is not yet sent, and some of it is in flight on A.
    const CLIENTS: usize = 8;
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut burst = JoinSet::new();
    for lane in 0..CLIENTS {
        let share: Vec<(usize, String, u64)> = targets
            .iter()
            .enumerate()
            .skip(lane)
            .step_by(CLIENTS)
            .map(|(i, (pn, v))| (i, pn.clone(), *v))
            .collect();
        let (client, a_base, b_base, token, done) = (
            client.clone(),
            a.base.clone(),
            b.base.clone(),
            token.clone(),
            done_tx.clone(),
        );
        burst.spawn(async move {
            let mut answers = Vec::new();
            for (i, pn, version) in share {
                let on_a = i % 2 == 0;
                let base = if on_a { &a_base } else { &b_base };
                let body = json!({"reason": "out_of_stock"});
                let answer = cancel(
                    &client,
                    base,
                    &token,
                    &pn,
                    &format!("kill-{pn}"),
                    version,
                    &body,
                )
                .await;
                // The receiver is dropped once A is killed; later sends have no one to tell.
                let _ = done.send(());
                answers.push((pn, on_a, answer.map(|(status, _, _)| status)));
            }
            answers
        });
    }
    done_rx.recv().await.expect("a cancellation finished");
    drop(done_rx);
    a.kill().await;
    let mut answered = Vec::new();
    let mut lost_on_a = 0;
    while let Some(result) = burst.join_next().await {
        for (pn, on_a, status) in result.expect("the lane ran") {
            match (on_a, status) {
                (_, Some(StatusCode::OK)) => answered.push(pn),
                // A shipment the rules keep from cancelling is refused and stays untouched
                // (checked below); never a server error.
                (_, Some(status)) => assert!(status.is_client_error(), "{pn}: {status}"),
                (true, None) => lost_on_a += 1,
                (false, None) => panic!("{pn}: the surviving instance did not answer"),
            }
        }
    }
    assert!(lost_on_a > 0, "the kill came in the middle of the burst");

    // No half state: each target is wholly cancelled (status, version, reason, stored answer, its
    // stock reset) or wholly untouched.
    let mut cancelled = 0;
    for (pn, version) in &targets {
        let (status, stored_version, reason, stored): (String, i64, Option<String>, Option<i64>) =
            sqlx::query_as(
                "SELECT s.status, s.version, c.reason, \
                 (SELECT i.status FROM idempotency i WHERE i.key = 'kill-' || s.posting_number) \
                 FROM shipments s LEFT JOIN cancellations c ON c.id = s.cancellation_id \
                 WHERE s.posting_number = $1",
            )
            .bind(pn)
            .fetch_one(&mut db)
            .await
            .expect("the shipment");
        if status == "cancelled" {
            cancelled += 1;
            assert_eq!(reason.as_deref(), Some("out_of_stock"), "{pn}");
            assert_eq!(stored_version, *version as i64 + 1, "{pn}");
            assert_eq!(
                stored,
                Some(200),
                "{pn}: the answer was stored with the change"
            );
            let unreset: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM shipments s JOIN shipment_lines l ON l.shipment_id = s.id \
                 JOIN stock st ON st.seller_id = s.seller_id AND st.sku = l.sku \
                 AND st.warehouse_id = s.warehouse_id \
                 WHERE s.posting_number = $1 AND st.quantity <> 0",
            )
            .bind(pn)
            .fetch_one(&mut db)
            .await
            .expect("a count");
            assert_eq!(
                unreset, 0,
                "{pn}: its stock was reset with the cancellation"
            );
        } else {
            assert_eq!(
                (stored_version, reason, stored),
                (*version as i64, None, None),
                "{pn} is untouched"
            );
        }
        assert!(cancellations_of(&mut db, pn).await <= 1, "{pn}");
    }
    for pn in &answered {
        let (status,): (String,) =
            sqlx::query_as("SELECT status FROM shipments WHERE posting_number = $1")
                .bind(pn)
                .fetch_one(&mut db)
                .await
                .expect("the shipment");
        assert_eq!(
            status, "cancelled",
            "{pn}: an answered cancellation is durable"
        );
    }
    assert!(cancelled >= answered.len());

    // The survivor keeps answering ...
    let (status, _, answer) = cancel(
        &client,
        &b.base,
        &token,
        &spare_pn,
        "after-the-kill",
        spare_version,
        &json!({"reason": "out_of_stock"}),
    )
    .await
    .expect("the survivor answers");
    assert_eq!(status, StatusCode::OK, "{answer}");

    // ... and takes the provider simulation over: it holds the lock within seconds, and answers a
    // request made after the kill (the provider's default answer comes 4 s after a request).
    let took = until("the survivor drives the provider", &mut db, |db| {
        let held_by_a = held_by_a.clone();
        Box::pin(async move {
            let now = provider_lock_holders(db).await;
            now.len() == 1 && now != held_by_a
        })
    })
    .await;
    println!(
        "the survivor took the provider over {} ms after the kill",
        took.as_millis()
    );
    let (pn, version) = sqlx::query_as::<_, (String, i64)>(
        "SELECT posting_number, version FROM shipments WHERE seller_id = $1 \
         AND status = 'in_transit' AND delivery_method = 'partner' AND cancellation_id IS NULL \
         AND decision IS NULL ORDER BY id",
    )
    .bind(SELLER)
    .fetch_all(&mut db)
    .await
    .expect("shipments")
    .into_iter()
    .map(|(pn, v)| (pn, v as u64))
    .next()
    .expect("an in-transit shipment without a fixture decision");
    let (status, _, answer) = cancel(
        &client,
        &b.base,
        &token,
        &pn,
        "provider-after-the-kill",
        version,
        &json!({"reason": "customer_request"}),
    )
    .await
    .expect("the survivor answers");
    assert_eq!(status, StatusCode::ACCEPTED, "{answer}");
    until("the provider answers through the survivor", &mut db, |db| {
        let pn = pn.clone();
        Box::pin(async move {
            let state: Option<String> = sqlx::query_scalar(
                "SELECT c.state FROM shipments s JOIN cancellations c ON c.id = s.cancellation_id \
                 WHERE s.posting_number = $1",
            )
            .bind(&pn)
            .fetch_optional(db)
            .await
            .expect("the cancellation");
            state.as_deref() == Some("cancelled")
        })
    })
    .await;
}
