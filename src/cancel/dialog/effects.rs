//! What the cancellation will do: cancelled now or requested from the provider, the stock reset,
//! and the rate.

use domain::metric::RateReport;
use domain::{Eligibility, Mode, Reason};
use leptos::prelude::*;

use super::OUTCOME_ID;
use crate::api::ApiError;
use crate::cancel::flow::CancelFlow;
use crate::i18n::text;
use crate::metric::preview::RatePreview;

#[component]
pub fn Effects(
    flow: RwSignal<CancelFlow>,
    eligibility: Memo<Eligibility>,
    reason: Memo<Option<Reason>>,
    rate: LocalResource<Result<RateReport, ApiError>>,
) -> impl IntoView {
    let stock_reset = move || {
        flow.with(|flow| {
            let products = flow.stock_reset()?;
            let names = products
                .iter()
                .map(|line| text::product_with_sku(&line.name, &line.sku))
                .collect::<Vec<_>>()
                .join(", ");
            let words = text::stock_reset(&names, &flow.shipment().warehouse_id);
            Some(view! { <p class="notice warning">{words}</p> })
        })
    };
    move || {
        let provider = flow.with(|f| f.shipment().delivery.provider.clone());
        eligibility.get().mode.map(|mode| {
            let words = match mode {
                Mode::Immediate => text::outcome_now().to_owned(),
                Mode::CarrierRequest => text::outcome_request(provider.as_deref()),
            };
            view! {
                <section class="effects" aria-labelledby="cancel-outcome-heading">
                    <h3 id="cancel-outcome-heading">{text::outcome_heading}</h3>
                    <p class="outcome" id=OUTCOME_ID>{words}</p>
                    {stock_reset}
                    <RatePreview rate reason count=1 />
                </section>
            }
        })
    }
}
