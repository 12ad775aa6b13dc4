//! Cancellations per second: several clients at once, each cancelling its own distinct shipments with
//! its own `Idempotency-Key` and the shipment's `If-Match` version.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use domain::wire::{CancelRequest, ShipmentPage};
use domain::{Reason, Shipment};

use crate::BenchError;
use crate::stats::{Summary, summarize};

pub struct Throughput {
    pub clients: usize,
    pub attempted: usize,
    pub succeeded: usize,
    /// Every answer by status code (200 and 202 are the successes).
    pub statuses: BTreeMap<u16, usize>,
    pub elapsed: Duration,
    pub latency: Option<Summary>,
}

impl Throughput {
    pub fn per_second(&self) -> f64 {
        self.succeeded as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }
}

struct Target {
    posting_number: String,
    version: u64,
    body: CancelRequest,
}

/// Cancels `wanted` shipments with `clients` concurrent clients; with several instances (`bases`,
/// one database), client `i` talks to instance `i mod n`, as a load balancer would spread them.
pub async fn measure(
    client: &reqwest::Client,
    bases: &[String],
    token: &str,
    wanted: usize,
    clients: usize,
) -> Result<Throughput, BenchError> {
    let first = bases
        .first()
        .ok_or_else(|| BenchError::Setup("no server to measure".into()))?;
    let targets = cancellable(client, first, token, wanted).await?;
    let attempted = targets.len();
    let mut shares: Vec<Vec<Target>> = (0..clients).map(|_| Vec::new()).collect();
    for (i, target) in targets.into_iter().enumerate() {
        shares[i % clients].push(target);
    }
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for (lane, share) in shares.into_iter().enumerate() {
        let client = client.clone();
        let base = bases[lane % bases.len()].clone();
        let token = token.to_owned();
        tasks.spawn(async move { cancel_all(&client, &base, &token, share).await });
    }
    let mut statuses = BTreeMap::new();
    let mut latencies = Vec::with_capacity(attempted);
    while let Some(joined) = tasks.join_next().await {
        let answers = joined.map_err(|e| BenchError::Setup(format!("a client failed: {e}")))??;
        for (status, took) in answers {
            *statuses.entry(status).or_insert(0) += 1;
            latencies.push(took);
        }
    }
    let elapsed = started.elapsed();
    let succeeded = statuses
        .iter()
        .filter(|(status, _)| matches!(status, 200 | 202))
        .map(|(_, n)| n)
        .sum();
    Ok(Throughput {
        clients,
        attempted,
        succeeded,
        statuses,
        elapsed,
        latency: summarize(&latencies),
    })
}

async fn cancel_all(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    targets: Vec<Target>,
) -> Result<Vec<(u16, Duration)>, BenchError> {
    let mut answers = Vec::with_capacity(targets.len());
    for target in targets {
        let started = Instant::now();
        let response = client
            .post(format!(
                "{base}/api/v1/shipments/{}/cancel",
                target.posting_number
            ))
            .bearer_auth(token)
            .header(
                "Idempotency-Key",
                format!("bench-{}", target.posting_number),
            )
            .header("If-Match", format!("\"{}\"", target.version))
            .json(&target.body)
            .send()
            .await?;
        let status = response.status().as_u16();
        response.bytes().await?;
        answers.push((status, started.elapsed()));
    }
    Ok(answers)
}

/// Distinct shipments the rules let the seller cancel, newest first, with a reason they offer.
async fn cancellable(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    wanted: usize,
) -> Result<Vec<Target>, BenchError> {
    let mut targets = Vec::with_capacity(wanted);
    let mut cursor: Option<String> = None;
    while targets.len() < wanted {
        let mut params = vec![
            ("sort", "created_at".to_owned()),
            ("order", "desc".to_owned()),
            ("limit", "200".to_owned()),
        ];
        if let Some(c) = &cursor {
            params.push(("cursor", c.clone()));
        }
        let response = client
            .get(format!("{base}/api/v1/shipments"))
            .bearer_auth(token)
            .query(&params)
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(BenchError::Status {
                what: "GET /api/v1/shipments (finding cancellable shipments)".into(),
                status: response.status().as_u16(),
            });
        }
        let page: ShipmentPage = response.json().await?;
        targets.extend(
            page.items
                .iter()
                .filter_map(target)
                .take(wanted - targets.len()),
        );
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    if targets.len() < wanted {
        eprintln!(
            "only {} cancellable shipments; measuring those",
            targets.len()
        );
    }
    if targets.is_empty() {
        return Err(BenchError::Setup(
            "no cancellable shipment to measure".into(),
        ));
    }
    Ok(targets)
}

fn target(shipment: &Shipment) -> Option<Target> {
    let offered = &shipment.eligibility;
    if !offered.cancellable {
        return None;
    }
    // The customer's request touches nothing else; out_of_stock would also reset stock.
    let preference = [
        Reason::CustomerRequest,
        Reason::UndeliverableAddress,
        Reason::LostByCarrier,
        Reason::OutOfStock,
        Reason::Other,
    ];
    let reason = preference.into_iter().find(|r| offered.offers(*r))?;
    Some(Target {
        posting_number: shipment.posting_number.clone(),
        version: shipment.version,
        body: CancelRequest {
            reason,
            comment: (reason == Reason::Other).then(|| "Benchmark cancellation".to_owned()),
        },
    })
}
