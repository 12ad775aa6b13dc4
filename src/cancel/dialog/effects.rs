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
    let stock_reset = Memo::new(move |_| {
        flow.with(|flow| {
            let names = flow
                .stock_reset()?
                .iter()
                .map(|line| text::product_with_sku(&line.name, &line.sku))
                .collect::<Vec<_>>()
                .join(", ");
            Some(text::stock_reset(&names, &flow.shipment().warehouse_id))
        })
    });
    let stock_reset = move || {
        stock_reset
            .get()
            .map(|words| view! { <p class="notice warning">{words}</p> })
    };
    let provider = Memo::new(move |_| flow.with(|f| f.shipment().delivery.provider.clone()));
    let mode = Memo::new(move |_| eligibility.with(|e| e.mode));
    move || {
        let provider = provider.get();
        mode.get().map(|mode| {
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
