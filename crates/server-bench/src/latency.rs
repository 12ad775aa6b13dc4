//! List-page latency, one client, one request at a time, each kind of page measured apart.

use std::time::{Duration, Instant};

use domain::wire::{DeliveryGeography, ShipmentPage};

use crate::BenchError;
use crate::stats::{Summary, summarize};

/// The kinds of list pages, in the order of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    First,
    Deep,
    Status,
    City,
    Search,
    ShortSearch,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::First,
        Kind::Deep,
        Kind::Status,
        Kind::City,
        Kind::Search,
        Kind::ShortSearch,
    ];

    pub fn describe(self) -> &'static str {
        match self {
            Kind::First => "first page (each sort and order)",
            Kind::Deep => "deep page (cursor 2,000 to 20,000 rows in, plain and searched)",
            Kind::Status => "status / delivery filter",
            Kind::City => "city filter (alone and with a status)",
            Kind::Search => {
                "text search, 3+ characters (common words, SKUs, posting numbers, no match)"
            }
            Kind::ShortSearch => "text search, 1–2 characters",
        }
    }
}

type Params = Vec<(&'static str, String)>;

pub struct KindFigures {
    pub kind: Kind,
    pub summary: Option<Summary>,
    pub failures: Vec<u16>,
}

pub struct Latencies {
    pub kinds: Vec<KindFigures>,
    pub all: Option<Summary>,
}

const WARM_UP_ROUNDS: usize = 10;
const PREWALK_LIMIT: usize = 200;

pub async fn measure(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    requests: usize,
) -> Result<Latencies, BenchError> {
    let plan = Plan::prepare(client, base, token).await?;
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); Kind::ALL.len()];
    let mut failures: Vec<Vec<u16>> = vec![Vec::new(); Kind::ALL.len()];
    // Per request variant as well, printed for whoever looks into a slow kind.
    let mut by_variant: std::collections::BTreeMap<(usize, usize), Vec<Duration>> =
        std::collections::BTreeMap::new();
    let warm_up = WARM_UP_ROUNDS * Kind::ALL.len();
    for i in 0..warm_up + requests {
        let slot = i % Kind::ALL.len();
        let params = plan.params(Kind::ALL[slot], i / Kind::ALL.len());
        let started = Instant::now();
        let response = client
            .get(format!("{base}/api/v1/shipments"))
            .bearer_auth(token)
            .query(params)
            .send()
            .await?;
        let status = response.status();
        // The whole body is part of the latency: the client waits for it.
        response.bytes().await?;
        let elapsed = started.elapsed();
        if i < warm_up {
            continue;
        }
        if status.is_success() {
            samples[slot].push(elapsed);
            by_variant
                .entry((slot, plan.variant(Kind::ALL[slot], i / Kind::ALL.len())))
                .or_default()
                .push(elapsed);
        } else {
            failures[slot].push(status.as_u16());
        }
    }
    for ((slot, variant), durations) in &by_variant {
        if let Some(s) = summarize(durations) {
            eprintln!(
                "  {:?} {:?}: p50 {} p99 {} ms ({})",
                Kind::ALL[*slot],
                plan.list(Kind::ALL[*slot])[*variant]
                    .iter()
                    .map(|(k, v)| format!("{k}={}", v.chars().take(24).collect::<String>()))
                    .collect::<Vec<_>>(),
                crate::stats::millis(s.p50),
                crate::stats::millis(s.p99),
                s.count
            );
        }
    }
    let all: Vec<Duration> = samples.iter().flatten().copied().collect();
    Ok(Latencies {
        kinds: Kind::ALL
            .iter()
            .zip(samples.iter().zip(failures))
            .map(|(&kind, (samples, failures))| KindFigures {
                kind,
                summary: summarize(samples),
                failures,
            })
            .collect(),
        all: summarize(&all),
    })
}

/// The concrete requests of each kind, taken from the data itself.
struct Plan {
    first: Vec<Params>,
    deep: Vec<Params>,
    status: Vec<Params>,
    city: Vec<Params>,
    search: Vec<Params>,
    short_search: Vec<Params>,
}

impl Plan {
    fn params(&self, kind: Kind, round: usize) -> &Params {
        let list = self.list(kind);
        &list[round % list.len()]
    }

    fn variant(&self, kind: Kind, round: usize) -> usize {
        round % self.list(kind).len()
    }

    fn list(&self, kind: Kind) -> &[Params] {
        match kind {
            Kind::First => &self.first,
            Kind::Deep => &self.deep,
            Kind::Status => &self.status,
            Kind::City => &self.city,
            Kind::Search => &self.search,
            Kind::ShortSearch => &self.short_search,
        }
    }

    async fn prepare(
        client: &reqwest::Client,
        base: &str,
        token: &str,
    ) -> Result<Plan, BenchError> {
        let sorts: [Params; 4] = [
            vec![],
            vec![("order", "desc".into())],
            vec![("sort", "created_at".into())],
            vec![("sort", "created_at".into()), ("order", "desc".into())],
        ];
        let geography: DeliveryGeography = get_json(
            client,
            &format!("{base}/api/v1/delivery-geography"),
            token,
            &[],
        )
        .await?;
        let mut destinations = geography.destinations;
        destinations.sort_by_key(|d| std::cmp::Reverse(d.shipments));
        let cities: Vec<String> = destinations
            .iter()
            .take(4)
            .map(|d| d.city.clone())
            .collect();
        if cities.is_empty() {
            return Err(BenchError::Setup(
                "the benchmark seller has no destinations".into(),
            ));
        }

        // Deep pages: cursors met while walking the list (and one search) ahead of the measurement.
        let mut deep = Vec::new();
        let walks: [Params; 3] = [
            vec![],
            vec![("sort", "created_at".into()), ("order", "desc".into())],
            vec![("q", "phone".into())],
        ];
        for walk in walks {
            let mut cursor: Option<String> = None;
            for page in 1..=100 {
                let mut params = walk.clone();
                params.push(("limit", PREWALK_LIMIT.to_string()));
                if let Some(c) = &cursor {
                    params.push(("cursor", c.clone()));
                }
                let got: ShipmentPage =
                    get_json(client, &format!("{base}/api/v1/shipments"), token, &params).await?;
                let Some(next) = got.next_cursor else { break };
                // From 2,000 rows in, every tenth page of 200.
                if page >= 10 && page % 10 == 0 {
                    let mut deep_params = walk.clone();
                    deep_params.push(("cursor", next.clone()));
                    deep.push(deep_params);
                }
                cursor = Some(next);
            }
        }
        if deep.is_empty() {
            return Err(BenchError::Setup(
                "the list is too short for deep pages".into(),
            ));
        }
        let example: ShipmentPage = get_json(
            client,
            &format!("{base}/api/v1/shipments"),
            token,
            &[("sort", "created_at".into()), ("limit", "1".into())],
        )
        .await?;
        let posting_number = example
            .items
            .first()
            .map(|s| s.posting_number.clone())
            .ok_or_else(|| BenchError::Setup("the benchmark seller has no shipments".into()))?;

        let q = |text: &str| vec![("q", text.to_owned())];
        Ok(Plan {
            first: sorts.to_vec(),
            deep,
            status: vec![
                vec![("status", "in_transit".into())],
                vec![("status", "awaiting_packaging,awaiting_shipment".into())],
                vec![
                    ("status", "cancelled".into()),
                    ("sort", "created_at".into()),
                    ("order", "desc".into()),
                ],
                vec![("delivery", "china_post".into())],
                vec![
                    ("status", "delivered".into()),
                    ("delivery", "seller".into()),
                ],
            ],
            city: cities
                .iter()
                .flat_map(|city| {
                    [
                        vec![("city", city.to_lowercase())],
                        vec![("city", city.clone()), ("status", "in_transit".into())],
                    ]
                })
                .collect(),
            search: vec![
                q("phone"),
                q("cable"),
                q("Wireless earbuds"),
                q("1005"),
                q(&posting_number),
                q("0500-1"),
                q("nothing-matches-this"),
                vec![("q", "case".into()), ("status", "in_transit".into())],
            ],
            short_search: vec![q("ph"), q("7"), q("30"), q("zz")],
        })
    }
}

async fn get_json<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    params: &[(&str, String)],
) -> Result<T, BenchError> {
    let response = client
        .get(url)
        .bearer_auth(token)
        .query(params)
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(BenchError::Status {
            what: format!("GET {url} {params:?}"),
            status: response.status().as_u16(),
        });
    }
    Ok(response.json().await?)
}
