//! The history's filters: the kind of outcome as tabs, and reason, who cancelled and the dates as
//! a form. Each change is a new URL, which the page follows.

use chrono::NaiveDate;
use domain::api::history as names;
use domain::timestamp;
use domain::{HistoryFilter, HistoryKind, Initiator, Reason};
use leptos::prelude::*;

use crate::i18n::text;

/// The kinds of outcome, each a link to the history filtered to it.
#[component]
pub fn KindTabs(
    filter: Memo<HistoryFilter>,
    href: Callback<HistoryFilter, String>,
) -> impl IntoView {
    let chips = std::iter::once(None)
        .chain(HistoryKind::ALL.into_iter().map(Some))
        .map(|option| {
            let link = move || {
                let mut next = filter.get();
                next.kind = option;
                href.run(next)
            };
            let label = move || option.map_or_else(text::kind_all, text::history_kind);
            view! {
                <li>
                    <a href=link aria-current=move || (filter.get().kind == option).then_some("page")>
                        {label}
                    </a>
                </li>
            }
        })
        .collect_view();

    view! {
        <nav class="tabs" aria-label=text::kinds_name>
            <ul>{chips}</ul>
        </nav>
    }
}

#[component]
pub fn HistoryFilters(
    filter: Memo<HistoryFilter>,
    /// The filter the seller asked for.
    change: Callback<HistoryFilter>,
) -> impl IntoView {
    let edit = move |apply: &dyn Fn(&mut HistoryFilter)| {
        let mut next = filter.get_untracked();
        apply(&mut next);
        change.run(next);
    };
    let reasons = Reason::ALL
        .into_iter()
        .map(|reason| {
            view! {
                <option value=reason.code() selected=move || filter.get().reason == Some(reason)>
                    {move || text::reason(reason)}
                </option>
            }
        })
        .collect_view();
    let initiators = Initiator::ALL
        .into_iter()
        .map(|initiator| {
            view! {
                <option
                    value=initiator.code()
                    selected=move || filter.get().initiator == Some(initiator)
                >
                    {move || text::initiator(initiator)}
                </option>
            }
        })
        .collect_view();
    // An `<input type="date">` gives `YYYY-MM-DD`, or an empty value when cleared.
    let day = |value: String| timestamp::parse_day(&value).ok();
    let shown_day = move |pick: fn(&HistoryFilter) -> Option<NaiveDate>| {
        move || {
            pick(&filter.get())
                .map(timestamp::write_day)
                .unwrap_or_default()
        }
    };

    view! {
        <form class="filters history-filters" aria-label=text::history_filters on:submit=|event| event.prevent_default()>
            <label>
                <span>{text::col_reason}</span>
                <select
                    name=names::REASON
                    on:change=move |event| {
                        let reason = Reason::from_code(&event_target_value(&event));
                        edit(&|f| f.reason = reason);
                    }
                >
                    <option value="" selected=move || filter.get().reason.is_none()>
                        {text::any_reason}
                    </option>
                    {reasons}
                </select>
            </label>
            <label>
                <span>{text::col_initiator}</span>
                <select
                    name=names::INITIATOR
                    on:change=move |event| {
                        let initiator = Initiator::from_code(&event_target_value(&event));
                        edit(&|f| f.initiator = initiator);
                    }
                >
                    <option value="" selected=move || filter.get().initiator.is_none()>
                        {text::anyone}
                    </option>
                    {initiators}
                </select>
            </label>
            <label>
                <span>{text::date_from}</span>
                <input
                    type="date"
                    name=names::FROM
                    prop:value=shown_day(|f| f.from)
                    on:change=move |event| {
                        let from = day(event_target_value(&event));
                        edit(&|f| {
                            f.from = from;
                            if f.to.is_some_and(|to| from.is_some_and(|from| from > to)) {
                                f.to = from;
                            }
                        });
                    }
                />
            </label>
            <label>
                <span>{text::date_to}</span>
                <input
                    type="date"
                    name=names::TO
                    prop:value=shown_day(|f| f.to)
                    on:change=move |event| {
                        let to = day(event_target_value(&event));
                        edit(&|f| {
                            f.to = to;
                            if f.from.is_some_and(|from| to.is_some_and(|to| from > to)) {
                                f.from = to;
                            }
                        });
                    }
                />
            </label>
            <button
                type="button"
                class="secondary"
                disabled=move || filter.get() == HistoryFilter::default()
                on:click=move |_| edit(&|f| *f = HistoryFilter::default())
            >
                {text::history_clear_filters}
            </button>
        </form>
    }
}
