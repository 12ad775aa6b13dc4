//! The demo data: a deterministic generator, and the generated file the server embeds.
//!
//! `server gen-fixture` writes `fixtures/demo.json`; `server gen-fixture --shipments 100000` writes the
//! benchmark's data set. The hand-written showcase shipments come first, so that every row of
//! RULES.md is covered whatever the size; the rest are drawn from a seeded generator.

use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::fixture::{
    Decision, Fixture, FixtureSeller, FixtureShipment, ProviderDecision, Settings,
};
use domain::{
    Cancellation, CancellationState, Delivery, DeliveryMethod, Destination, Initiator, Product,
    ProductLine, Reason, Status, StockLevel,
};
use sha2::{Digest, Sha256};

use crate::seed::SeedError;

pub const DEMO_SELLER: &str = "s-1001";
pub const OTHER_SELLER: &str = "s-2002";
/// Shipments of the demo seller in `fixtures/demo.json`: 320, then the partial-cancellation
/// showcase (`partial_showcases`), added after them so that no earlier shipment changed.
pub const DEMO_SHIPMENTS: usize = 320 + PARTIAL_SHOWCASES;
/// How many shipments `partial_showcases` holds.
const PARTIAL_SHOWCASES: usize = 11;
const OTHER_SHIPMENTS: usize = 24;
pub const DEMO_FIXTURE: &str = include_str!("../fixtures/demo.json");

/// The demo's "today": every date of the data lies before this instant.
pub fn anchor() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 6, 0, 0)
        .single()
        .unwrap_or_default()
}

/// The embedded demo fixture, with its hash (the seed identity stored in the database).
pub fn embedded() -> Result<(Fixture, String), SeedError> {
    let fixture: Fixture = serde_json::from_str(DEMO_FIXTURE)?;
    let hash = Sha256::digest(DEMO_FIXTURE.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((fixture, hash))
}

/// The fixture as the committed file holds it: pretty JSON with a final newline.
pub fn render(fixture: &Fixture) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(fixture)?;
    text.push('\n');
    Ok(text)
}

/// A small seeded generator (SplitMix64), written out so the data never changes with a crate update.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

struct CatalogueItem {
    sku: &'static str,
    name: &'static str,
    price: &'static str,
}

const GADGETS: &[CatalogueItem] = &[
    CatalogueItem {
        sku: "1001",
        name: "Phone case",
        price: "3.20",
    },
    CatalogueItem {
        sku: "1002",
        name: "USB-C cable 1 m",
        price: "1.80",
    },
    CatalogueItem {
        sku: "1003",
        name: "Wireless earbuds",
        price: "18.50",
    },
    CatalogueItem {
        sku: "1004",
        name: "Screen protector",
        price: "0.90",
    },
    CatalogueItem {
        sku: "1005",
        name: "Power bank 10000 mAh",
        price: "12.40",
    },
    CatalogueItem {
        sku: "1006",
        name: "Smart watch strap",
        price: "2.70",
    },
    CatalogueItem {
        sku: "1007",
        name: "Bluetooth speaker",
        price: "15.90",
    },
    CatalogueItem {
        sku: "1008",
        name: "Car phone holder",
        price: "4.10",
    },
    CatalogueItem {
        sku: "1009",
        name: "LED desk lamp",
        price: "9.80",
    },
    CatalogueItem {
        sku: "1010",
        name: "Laptop sleeve 14\"",
        price: "7.60",
    },
    CatalogueItem {
        sku: "1011",
        name: "Fitness tracker",
        price: "21.00",
    },
    CatalogueItem {
        sku: "1012",
        name: "HDMI adapter",
        price: "5.30",
    },
];

/// The other seller deliberately reuses SKU 1001, so tenant isolation of products is tested for real.
const HOME_GOODS: &[CatalogueItem] = &[
    CatalogueItem {
        sku: "1001",
        name: "Ceramic mug",
        price: "4.50",
    },
    CatalogueItem {
        sku: "2002",
        name: "Bamboo cutting board",
        price: "6.80",
    },
    CatalogueItem {
        sku: "2003",
        name: "Linen tea towel",
        price: "2.40",
    },
    CatalogueItem {
        sku: "2004",
        name: "Glass storage jar",
        price: "3.90",
    },
];

const WAREHOUSES: &[&str] = &["wh-shenzhen", "wh-shenzhen", "wh-shenzhen", "wh-guangzhou"];
const PARTNERS: &[&str] = &["Cainiao", "YunExpress", "4PX", "Yanwen"];
const CITIES: &[(&str, &str)] = &[
    ("RU", "Moscow"),
    ("RU", "Moscow"),
    ("RU", "Moscow"),
    ("RU", "Saint Petersburg"),
    ("RU", "Saint Petersburg"),
    ("RU", "Kazan"),
    ("RU", "Novosibirsk"),
    ("RU", "Yekaterinburg"),
    ("RU", "Krasnodar"),
    ("KZ", "Almaty"),
    ("KZ", "Astana"),
    ("BY", "Minsk"),
    ("UZ", "Tashkent"),
];

fn line(item: &CatalogueItem, quantity: u32) -> ProductLine {
    ProductLine {
        sku: item.sku.to_owned(),
        name: item.name.to_owned(),
        quantity,
        price: item.price.to_owned(),
        currency: "USD".to_owned(),
    }
}

fn gadget(sku: &str) -> &'static CatalogueItem {
    GADGETS
        .iter()
        .find(|item| item.sku == sku)
        .unwrap_or(&GADGETS[0])
}

fn delivery(method: DeliveryMethod, provider: Option<&str>) -> Delivery {
    Delivery {
        method,
        provider: provider.map(str::to_owned),
    }
}

fn partner(name: &str) -> Delivery {
    delivery(DeliveryMethod::Partner, Some(name))
}

fn china_post() -> Delivery {
    delivery(DeliveryMethod::ChinaPost, Some("China Post"))
}

fn own() -> Delivery {
    delivery(DeliveryMethod::Seller, None)
}

fn to(country: &str, city: &str) -> Destination {
    Destination {
        country: country.to_owned(),
        city: city.to_owned(),
    }
}

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0)
        .single()
        .unwrap_or_default()
}

struct Showcase {
    status: Status,
    delivery: Delivery,
    destination: Destination,
    warehouse: &'static str,
    lines: Vec<ProductLine>,
    created_at: DateTime<Utc>,
    cancellation: Option<Cancellation>,
    decision: Option<ProviderDecision>,
}

fn showcase(
    status: Status,
    delivery: Delivery,
    destination: Destination,
    lines: Vec<ProductLine>,
) -> Showcase {
    Showcase {
        status,
        delivery,
        destination,
        warehouse: "wh-shenzhen",
        lines,
        created_at: at(24, 9),
        cancellation: None,
        decision: None,
    }
}

fn cancelled_by(initiator: Initiator, reason: Option<Reason>, at: DateTime<Utc>) -> Cancellation {
    Cancellation {
        state: CancellationState::Cancelled,
        reason,
        comment: None,
        initiator,
        requested_at: at,
        decided_at: Some(at),
        provider_message: None,
    }
}

/// One shipment per row of RULES.md, each named in a comment.
fn showcases() -> Vec<Showcase> {
    let mut list = Vec::new();
    // DESIGN.md's example: in transit with Cainiao, 4 identical products (commercial warning).
    list.push(Showcase {
        created_at: at(20, 8),
        ..showcase(
            Status::InTransit,
            partner("Cainiao"),
            to("RU", "Kazan"),
            vec![line(gadget("1001"), 4)],
        )
    });
    // Every status with every delivery method.
    let cities = [to("RU", "Moscow"), to("KZ", "Almaty"), to("BY", "Minsk")];
    for (s, status) in Status::ALL.into_iter().enumerate() {
        for (m, delivery) in [partner("YunExpress"), china_post(), own()]
            .into_iter()
            .enumerate()
        {
            let mut item = showcase(
                status,
                delivery,
                cities[m].clone(),
                vec![line(&GADGETS[(s * 3 + m) % 12], 1)],
            );
            item.created_at = at(19 + s as u32, 10 + m as u32);
            if status == Status::Cancelled {
                item.cancellation = Some(Cancellation {
                    comment: Some("Packed the wrong colour; the buyer was told".to_owned()),
                    ..cancelled_by(
                        Initiator::Seller,
                        Some(Reason::Other),
                        at(25, 10 + m as u32),
                    )
                });
            }
            list.push(item);
        }
    }
    // A request waiting for the provider, which answers only after an hour (cancellation_pending).
    list.push(Showcase {
        cancellation: Some(Cancellation {
            state: CancellationState::Requested,
            reason: Some(Reason::CustomerRequest),
            comment: None,
            initiator: Initiator::Seller,
            requested_at: at(26, 5),
            decided_at: None,
            provider_message: None,
        }),
        decision: Some(ProviderDecision {
            decision: Decision::Approve,
            after_ms: 3_600_000,
            message: None,
        }),
        created_at: at(21, 7),
        ..showcase(
            Status::InTransit,
            partner("YunExpress"),
            to("RU", "Novosibirsk"),
            vec![line(gadget("1003"), 1)],
        )
    });
    // A pending request the provider approves 90 seconds after start: the live update in the demo.
    list.push(Showcase {
        cancellation: Some(Cancellation {
            state: CancellationState::Requested,
            reason: Some(Reason::LostByCarrier),
            comment: None,
            initiator: Initiator::Seller,
            requested_at: at(26, 5),
            decided_at: None,
            provider_message: None,
        }),
        decision: Some(ProviderDecision {
            decision: Decision::Approve,
            after_ms: 90_000,
            message: None,
        }),
        created_at: at(18, 12),
        ..showcase(
            Status::InTransit,
            partner("Cainiao"),
            to("RU", "Yekaterinburg"),
            vec![line(gadget("1005"), 1)],
        )
    });
    // A rejected request with the provider's message: the seller may ask again.
    list.push(Showcase {
        cancellation: Some(Cancellation {
            state: CancellationState::Rejected,
            reason: Some(Reason::CustomerRequest),
            comment: None,
            initiator: Initiator::Seller,
            requested_at: at(25, 8),
            decided_at: Some(at(25, 14)),
            provider_message: Some(
                "The parcel has already left the sorting centre in Urumqi and can't be stopped"
                    .to_owned(),
            ),
        }),
        created_at: at(22, 9),
        ..showcase(
            Status::InTransit,
            partner("4PX"),
            to("KZ", "Astana"),
            vec![line(gadget("1011"), 1)],
        )
    });
    // A cancellation by the carrier, after a delivery problem: it does not count toward the rate.
    list.push(Showcase {
        cancellation: Some(Cancellation {
            provider_message: Some(
                "Delivery failed: the recipient could not be reached".to_owned(),
            ),
            ..cancelled_by(Initiator::Carrier, None, at(25, 16))
        }),
        created_at: at(17, 11),
        ..showcase(
            Status::Cancelled,
            partner("Cainiao"),
            to("RU", "Novosibirsk"),
            vec![line(gadget("1009"), 1)],
        )
    });
    // A commercial shipment awaiting packaging: split into parcels is offered.
    list.push(showcase(
        Status::AwaitingPackaging,
        partner("YunExpress"),
        to("KZ", "Almaty"),
        vec![line(gadget("1004"), 5), line(gadget("1001"), 1)],
    ));
    // A commercial shipment by China Post awaiting shipment: a warning, no split.
    list.push(showcase(
        Status::AwaitingShipment,
        china_post(),
        to("RU", "Moscow"),
        vec![line(gadget("1002"), 4)],
    ));
    // Out of stock: products with stock at the shipment's warehouse, which the cancellation resets.
    list.push(Showcase {
        warehouse: "wh-guangzhou",
        ..showcase(
            Status::AwaitingShipment,
            partner("Cainiao"),
            to("RU", "Saint Petersburg"),
            vec![line(gadget("1007"), 2), line(gadget("1008"), 1)],
        )
    });
    // Undeliverable address: several cancellable shipments to one city, for the bulk step.
    for (i, status) in [
        Status::AwaitingPackaging,
        Status::AwaitingShipment,
        Status::ReadyForShipment,
        Status::AwaitingShipment,
    ]
    .into_iter()
    .enumerate()
    {
        list.push(Showcase {
            created_at: at(23 + i as u32 % 3, 12),
            ..showcase(
                status,
                partner("Yanwen"),
                to("RU", "Yakutsk"),
                vec![line(&GADGETS[i + 4], 1)],
            )
        });
    }
    // In transit with providers that answer quickly: one rejects with a message, one approves.
    list.push(Showcase {
        decision: Some(ProviderDecision {
            decision: Decision::Reject,
            after_ms: 5_000,
            message: Some("The parcel is already with the last-mile courier".to_owned()),
        }),
        ..showcase(
            Status::InTransit,
            partner("YunExpress"),
            to("UZ", "Tashkent"),
            vec![line(gadget("1006"), 2)],
        )
    });
    list.push(Showcase {
        decision: Some(ProviderDecision {
            decision: Decision::Approve,
            after_ms: 3_000,
            message: None,
        }),
        ..showcase(
            Status::InTransit,
            partner("4PX"),
            to("RU", "Krasnodar"),
            vec![line(gadget("1010"), 1)],
        )
    });
    list
}

/// Partial cancellations and the out-of-stock sweep (RULES.md, "Cancelling some products of a
/// shipment"), numbered 87654399-NNNN: where it is offered, where it is not, and a sweep.
fn partial_showcases() -> Vec<Showcase> {
    let mut list = vec![
        // Offered (awaiting packaging, two or three products).
        showcase(
            Status::AwaitingPackaging,
            partner("Cainiao"),
            to("RU", "Moscow"),
            vec![line(gadget("1003"), 1), line(gadget("1002"), 2)],
        ),
        // Offered, with the commercial warning, which clears once one unit of 1006 goes (4 -> 3).
        showcase(
            Status::AwaitingPackaging,
            partner("YunExpress"),
            to("RU", "Kazan"),
            vec![line(gadget("1006"), 4), line(gadget("1010"), 1)],
        ),
        // Offered, by China Post, three products.
        showcase(
            Status::AwaitingPackaging,
            china_post(),
            to("BY", "Minsk"),
            vec![
                line(gadget("1005"), 1),
                line(gadget("1011"), 1),
                line(gadget("1012"), 2),
            ],
        ),
        // Not offered: packed, and in transit.
        showcase(
            Status::AwaitingShipment,
            own(),
            to("RU", "Moscow"),
            vec![line(gadget("1003"), 1), line(gadget("1009"), 1)],
        ),
        showcase(
            Status::InTransit,
            partner("4PX"),
            to("KZ", "Almaty"),
            vec![line(gadget("1002"), 1), line(gadget("1012"), 1)],
        ),
    ];
    // The sweep: HDMI adapters (1012) at wh-guangzhou. The seller cancels them out of stock in
    // the first; the others before handover hold it too: the only product (a whole
    // cancellation), with other products awaiting packaging (a partial one, twice), and packed
    // with another product (skipped: partial_not_offered). The warehouse is the sweep's.
    for (status, lines) in [
        (
            Status::AwaitingPackaging,
            vec![line(gadget("1012"), 1), line(gadget("1005"), 1)],
        ),
        (Status::ReadyForShipment, vec![line(gadget("1012"), 2)]),
        (
            Status::AwaitingPackaging,
            vec![line(gadget("1012"), 1), line(gadget("1001"), 1)],
        ),
        (
            Status::AwaitingPackaging,
            vec![
                line(gadget("1012"), 3),
                line(gadget("1004"), 2),
                line(gadget("1006"), 1),
            ],
        ),
        (
            Status::AwaitingShipment,
            vec![line(gadget("1012"), 1), line(gadget("1003"), 1)],
        ),
    ] {
        list.push(Showcase {
            warehouse: "wh-guangzhou",
            ..showcase(
                status,
                partner("Cainiao"),
                to("RU", "Saint Petersburg"),
                lines,
            )
        });
    }
    // Offered: a product on two lines (taken from the first line on).
    list.push(showcase(
        Status::AwaitingPackaging,
        own(),
        to("RU", "Krasnodar"),
        vec![
            line(gadget("1001"), 1),
            line(gadget("1007"), 1),
            line(gadget("1001"), 2),
        ],
    ));
    list
}

fn posting(order: &str) -> String {
    format!("{order}-1")
}

fn from_showcase(index: usize, item: Showcase) -> FixtureShipment {
    let order_number = format!("87654321-{:04}", index + 1);
    FixtureShipment {
        posting_number: posting(&order_number),
        order_number,
        status: item.status,
        delivery: item.delivery,
        destination: item.destination,
        warehouse_id: item.warehouse.to_owned(),
        products: item.lines,
        created_at: item.created_at,
        ship_by: item.created_at + Duration::days(3),
        cancellation: item.cancellation,
        provider_decision: item.decision,
    }
}

/// A shipment drawn at random, with a status that fits its age.
fn random_shipment(
    dice: &mut Dice,
    order_number: String,
    catalogue: &[CatalogueItem],
) -> FixtureShipment {
    let now = anchor();
    let age = Duration::minutes(30 + dice.below(35 * 24 * 60) as i64);
    let created_at = now - age;
    let days = age.num_days();
    let delivery = match dice.below(100) {
        0..60 => {
            let provider = dice.pick::<&str>(PARTNERS);
            partner(provider)
        }
        60..85 => china_post(),
        _ => own(),
    };
    let status = if dice.chance(8) {
        Status::Cancelled
    } else {
        match days {
            0 => *dice.pick(&[
                Status::AwaitingPackaging,
                Status::AwaitingPackaging,
                Status::AwaitingShipment,
            ]),
            1..=2 => *dice.pick(&[
                Status::AwaitingShipment,
                Status::ReadyForShipment,
                Status::AwaitingPackaging,
            ]),
            3..=6 => *dice.pick(&[
                Status::ReadyForShipment,
                Status::InTransit,
                Status::InTransit,
            ]),
            7..=14 => *dice.pick(&[Status::InTransit, Status::InTransit, Status::Delivered]),
            _ => *dice.pick(&[
                Status::InTransit,
                Status::Delivered,
                Status::Delivered,
                Status::Delivered,
            ]),
        }
    };
    let mut lines: Vec<ProductLine> = Vec::new();
    for _ in 0..1 + dice.below(3) {
        let item = dice.pick(catalogue);
        if lines.iter().any(|l| l.sku == item.sku) {
            continue;
        }
        let quantity = if dice.chance(6) {
            4 + dice.below(3)
        } else {
            1 + dice.below(2)
        } as u32;
        lines.push(line(item, quantity));
    }
    let mut cancellation = None;
    if status == Status::Cancelled {
        let after = Duration::minutes(
            10 + dice.below(age.num_minutes().clamp(1, 3 * 24 * 60) as u64) as i64,
        );
        let requested_at = (created_at + after).min(now);
        cancellation = Some(if dice.chance(15) {
            Cancellation {
                provider_message: Some("Delivery failed: the address does not exist".to_owned()),
                ..cancelled_by(Initiator::Carrier, None, requested_at)
            }
        } else {
            let reason = *dice.pick(&[
                Reason::OutOfStock,
                Reason::CustomerRequest,
                Reason::CustomerRequest,
                Reason::UndeliverableAddress,
                Reason::Other,
            ]);
            Cancellation {
                comment: (reason == Reason::Other).then(|| "Damaged while packing".to_owned()),
                ..cancelled_by(Initiator::Seller, Some(reason), requested_at)
            }
        });
    } else if status == Status::InTransit
        && delivery.method == DeliveryMethod::Partner
        && dice.chance(4)
    {
        let requested_at = (created_at + Duration::days(1)).min(now);
        cancellation = Some(Cancellation {
            state: CancellationState::Rejected,
            reason: Some(Reason::CustomerRequest),
            comment: None,
            initiator: Initiator::Seller,
            requested_at,
            decided_at: Some(requested_at + Duration::hours(3)),
            provider_message: Some("The parcel is already at the customs office".to_owned()),
        });
    }
    let (country, city) = *dice.pick(CITIES);
    FixtureShipment {
        posting_number: posting(&order_number),
        order_number,
        status,
        delivery,
        destination: to(country, city),
        warehouse_id: (*dice.pick(WAREHOUSES)).to_owned(),
        products: lines,
        created_at,
        ship_by: created_at + Duration::days(3),
        cancellation,
        provider_decision: None,
    }
}

fn catalogue(dice: &mut Dice, items: &[CatalogueItem], warehouses: &[&str]) -> Vec<Product> {
    items
        .iter()
        .map(|item| Product {
            sku: item.sku.to_owned(),
            name: item.name.to_owned(),
            archived: false,
            stock: warehouses
                .iter()
                .map(|w| StockLevel {
                    warehouse_id: (*w).to_owned(),
                    quantity: 5 + dice.below(200) as u32,
                })
                .collect(),
        })
        .collect()
}

/// The demo fixture with `shipments` shipments for the demo seller (at least the showcase).
pub fn generate(shipments: usize) -> Fixture {
    let mut dice = Dice(20_261_126);
    let mut main: Vec<FixtureShipment> = showcases()
        .into_iter()
        .enumerate()
        .map(|(i, s)| from_showcase(i, s))
        .collect();
    let showcase_count = main.len();
    let partial = partial_showcases();
    debug_assert_eq!(partial.len(), PARTIAL_SHOWCASES);
    // The random shipments keep their numbers and draws; the partial showcase comes last.
    let random_end = shipments.max(showcase_count + partial.len()) - partial.len();
    for i in showcase_count..random_end {
        main.push(random_shipment(
            &mut dice,
            format!("{:08}-{:04}", 30_000_000 + i * 7, i % 10_000),
            GADGETS,
        ));
    }
    main.extend(
        partial
            .into_iter()
            .enumerate()
            .map(|(i, item)| FixtureShipment {
                order_number: format!("87654399-{:04}", i + 1),
                posting_number: format!("87654399-{:04}-1", i + 1),
                ..from_showcase(i, item)
            }),
    );
    let other: Vec<FixtureShipment> = (0..OTHER_SHIPMENTS)
        .map(|i| random_shipment(&mut dice, format!("55500{:03}-0001", i), HOME_GOODS))
        .collect();
    Fixture {
        sellers: vec![
            FixtureSeller {
                id: DEMO_SELLER.to_owned(),
                name: "Shenzhen Gadgets Co.".to_owned(),
                products: catalogue(&mut dice, GADGETS, &["wh-shenzhen", "wh-guangzhou"]),
                shipments: main,
            },
            FixtureSeller {
                id: OTHER_SELLER.to_owned(),
                name: "Almaty Home Goods".to_owned(),
                products: catalogue(&mut dice, HOME_GOODS, &["wh-almaty"]),
                shipments: other,
            },
        ],
        settings: Settings::default(),
    }
}
