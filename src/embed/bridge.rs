//! The app's side of the portal protocol: it listens only to `window.parent` from a configured
//! portal origin, and posts only to that exact origin, never to `*`.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use futures_channel::oneshot;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::embed::protocol::{Inbound, Outbound, accept};
use crate::format;

/// How long the app waits for the portal's `init` or `token` before saying it can't sign in.
const ANSWER_WAIT: Duration = Duration::from_secs(10);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmbedError {
    #[error("the portal did not answer")]
    NoAnswer,
    #[error("the page has no parent window")]
    NoParent,
    #[error("the message could not be posted: {0}")]
    Post(String),
}

/// What the portal's `init` hands over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Init {
    pub token: String,
    pub locale: Option<String>,
    pub theme: Option<String>,
}

type Waiter<T> = oneshot::Sender<Result<T, EmbedError>>;

#[derive(Debug)]
struct State {
    portal_origins: Vec<String>,
    /// The portal's origin, once its `init` arrived: every later message goes there only.
    parent_origin: Mutex<Option<String>>,
    init: Mutex<Option<Waiter<Init>>>,
    /// An `init` that came before `start` waited for it: the start-up script said `ready` while
    /// the wasm was loading, and the portal answered first.
    early_init: Mutex<Option<Init>>,
    tokens: Mutex<TokenRound>,
}

/// The callers waiting for the portal's `token`. However many calls find the token expired at
/// once, the portal gets one `token_request`, and its one answer releases them all.
#[derive(Debug, Default)]
struct TokenRound {
    /// Counts the requests, so that an old request's timeout can't fail a newer one.
    number: u64,
    waiters: Vec<Waiter<String>>,
}

fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

#[derive(Clone, Debug)]
pub struct Bridge {
    state: Arc<State>,
}

impl Bridge {
    /// Starts listening to the portal. The listener lives as long as the page.
    pub fn install(portal_origins: Vec<String>) -> Bridge {
        let bridge = Bridge {
            state: Arc::new(State {
                portal_origins,
                parent_origin: Mutex::new(None),
                init: Mutex::new(None),
                early_init: Mutex::new(None),
                tokens: Mutex::new(TokenRound::default()),
            }),
        };
        let listening = bridge.clone();
        let handle = window_event_listener_untyped("message", move |event| {
            if let Ok(event) = event.dyn_into::<web_sys::MessageEvent>() {
                listening.receive(&event);
            }
        });
        // The bridge serves the whole session; the page's end removes the listener.
        std::mem::forget(handle);
        // What came before this listener, judged exactly as what comes after.
        for event in crate::boot::early_messages() {
            bridge.receive(&event);
        }
        bridge
    }

    fn receive(&self, event: &web_sys::MessageEvent) {
        let from_parent = match (event.source(), web_sys::window().map(|w| w.parent())) {
            (Some(source), Some(Ok(Some(parent)))) => {
                JsValue::from(source) == JsValue::from(parent)
            }
            _ => false,
        };
        let origin = event.origin();
        if !from_parent {
            leptos::logging::warn!(
                "ignored a message from {origin}: the sender is not the window that frames the app"
            );
            return;
        }
        match accept(&origin, &self.state.portal_origins, &event.data()) {
            Ok(Inbound::Init {
                token,
                locale,
                theme,
            }) => {
                *locked(&self.state.parent_origin) = Some(origin);
                apply_locale(locale.as_deref());
                apply_theme(theme.as_deref());
                let init = Init {
                    token,
                    locale,
                    theme,
                };
                match locked(&self.state.init).take() {
                    // A closed receiver means nobody waits any more; nothing is lost.
                    Some(waiter) => drop(waiter.send(Ok(init))),
                    None => *locked(&self.state.early_init) = Some(init),
                }
            }
            Ok(Inbound::Token { token }) => {
                for waiter in locked(&self.state.tokens).waiters.drain(..) {
                    let _ = waiter.send(Ok(token.clone()));
                }
            }
            Ok(Inbound::Locale { locale }) => apply_locale(Some(&locale)),
            Ok(Inbound::Theme { theme }) => apply_theme(Some(&theme)),
            Ok(Inbound::Viewport { top, height }) => apply_band(top, height),
            Err(rejected) => leptos::logging::warn!("ignored a message from {origin}: {rejected}"),
        }
    }

    /// Takes the portal's `init` if it came already (the start-up script said `ready` while the
    /// wasm was loading); otherwise says `ready` and waits for it. The script's `ready` may have
    /// come before the portal listened, so it is said again here: that costs at most a second
    /// `init`, which finds nobody waiting and changes nothing.
    pub async fn start(&self) -> Result<Init, EmbedError> {
        if let Some(init) = locked(&self.state.early_init).take() {
            return Ok(init);
        }
        let (sender, receiver) = oneshot::channel();
        *locked(&self.state.init) = Some(sender);
        self.post(&Outbound::Ready)?;
        let state = self.state.clone();
        spawn_local(async move {
            TimeoutFuture::new(ANSWER_WAIT.as_millis() as u32).await;
            if let Some(waiter) = locked(&state.init).take() {
                let _ = waiter.send(Err(EmbedError::NoAnswer));
            }
        });
        receiver.await.unwrap_or(Err(EmbedError::NoAnswer))
    }

    /// Asks the portal for a fresh token, as when the current one is about to expire or the
    /// server refused it. A caller that comes while a request is out joins it.
    pub async fn renew_token(&self) -> Result<String, EmbedError> {
        let (sender, receiver) = oneshot::channel();
        let opened = {
            let mut round = locked(&self.state.tokens);
            round.waiters.push(sender);
            (round.waiters.len() == 1).then(|| {
                round.number += 1;
                round.number
            })
        };
        if let Some(number) = opened {
            if let Err(error) = self.post(&Outbound::TokenRequest) {
                fail_round(&self.state, number, &error);
            }
            let state = self.state.clone();
            spawn_local(async move {
                TimeoutFuture::new(ANSWER_WAIT.as_millis() as u32).await;
                fail_round(&state, number, &EmbedError::NoAnswer);
            });
        }
        receiver.await.unwrap_or(Err(EmbedError::NoAnswer))
    }

    /// Posts to the portal's origin. Before `init` names it, `ready` goes to each configured
    /// origin, and the browser delivers it only to the one the parent really has.
    pub fn post(&self, message: &Outbound) -> Result<(), EmbedError> {
        let parent = web_sys::window()
            .and_then(|window| window.parent().ok().flatten())
            .ok_or(EmbedError::NoParent)?;
        let data = message.to_js();
        let targets = match locked(&self.state.parent_origin).clone() {
            Some(origin) => vec![origin],
            None if *message == Outbound::Ready => self.state.portal_origins.clone(),
            None => return Err(EmbedError::NoParent),
        };
        for origin in targets {
            parent
                .post_message(&data, &origin)
                .map_err(|error| EmbedError::Post(format!("{error:?}")))?;
        }
        Ok(())
    }

    /// Posts a message whose loss only costs the portal a nicety (a toast, a resize), logging a
    /// failure instead of interrupting the seller.
    pub fn tell(&self, message: &Outbound) {
        if let Err(error) = self.post(message) {
            leptos::logging::warn!("could not tell the portal: {error}");
        }
    }

    /// Tells the portal the height the app needs whenever it changes, so the frame fits the app
    /// and the portal never shows a second scrollbar.
    pub fn follow_height(&self) {
        let Some(document) = web_sys::window().and_then(|window| window.document()) else {
            return;
        };
        let (Some(root), Some(body)) = (document.document_element(), document.body()) else {
            return;
        };
        let bridge = self.clone();
        let last = Arc::new(Mutex::new(0_u32));
        let report = Closure::<dyn Fn()>::new(move || {
            let height = needed_height();
            let mut last = locked(&last);
            if *last != height {
                *last = height;
                bridge.tell(&Outbound::Resize { height });
            }
        });
        let report: js_sys::Function = report.into_js_value().unchecked_into();
        let resized = match web_sys::ResizeObserver::new(&report) {
            Ok(observer) => observer,
            Err(error) => {
                leptos::logging::warn!("the frame will not follow the height: {error:?}");
                return;
            }
        };
        resized.observe(&root);
        // A dialog is fixed, so it doesn't move the page's height: it is watched on its own from
        // the moment it appears, and the frame grows when it needs more room than the list.
        let watched = resized.clone();
        let dialogs_before = Arc::new(Mutex::new(0_usize));
        let changed = Closure::<dyn Fn()>::new(move || {
            let dialogs = open_dialogs();
            for dialog in &dialogs {
                watched.observe(dialog);
            }
            // Measuring forces a layout, so only a dialog opening or closing measures here.
            let mut before = locked(&dialogs_before);
            if *before != dialogs.len() {
                *before = dialogs.len();
                if let Err(error) = report.call0(&JsValue::NULL) {
                    leptos::logging::warn!("could not measure the page: {error:?}");
                }
            }
        });
        let added = match web_sys::MutationObserver::new(changed.as_ref().unchecked_ref()) {
            Ok(observer) => observer,
            Err(error) => {
                leptos::logging::warn!("the frame will not make room for dialogs: {error:?}");
                return;
            }
        };
        let options = web_sys::MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        if let Err(error) = added.observe_with_options(&body, &options) {
            leptos::logging::warn!("the frame will not make room for dialogs: {error:?}");
        }
        // All of them live as long as the page.
        changed.forget();
        std::mem::forget(resized);
        std::mem::forget(added);
    }
}

/// Fails the waiters of request `number`, unless its answer came already.
fn fail_round(state: &State, number: u64, error: &EmbedError) {
    let mut round = locked(&state.tokens);
    if round.number == number {
        for waiter in round.waiters.drain(..) {
            let _ = waiter.send(Err(error.clone()));
        }
    }
}

/// The dialogs at their top position take at most this share of the band (`.dialog` in the style
/// sheet: 5 % above, 90 % tall, 5 % below).
const DIALOG_SHARE: f64 = 0.9;

fn open_dialogs() -> Vec<web_sys::HtmlElement> {
    let Some(found) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.query_selector_all(r#"[aria-modal="true"]"#).ok())
    else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|index| found.item(index))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

/// The page's own height, or more while a dialog is open that needs more room to show in full.
/// The page's box is measured rather than `scrollHeight`, which never drops below the frame's
/// height and so would never let the frame shrink.
fn needed_height() -> u32 {
    let page = root_element().map_or(0.0, |root| root.get_bounding_client_rect().height());
    let dialogs = open_dialogs()
        .iter()
        .map(|dialog| natural_height(dialog) / DIALOG_SHARE)
        .fold(0.0, f64::max);
    // Heights are small positive numbers of pixels.
    page.max(dialogs).ceil() as u32
}

/// A dialog's height if nothing capped it: its box plus what its scrolling parts hide.
fn natural_height(dialog: &web_sys::HtmlElement) -> f64 {
    let children = dialog.children();
    let hidden: i32 = (0..children.length())
        .filter_map(|index| children.item(index))
        .map(|part| (part.scroll_height() - part.client_height()).max(0))
        .sum();
    f64::from(dialog.offset_height() + hidden)
}

fn root_element() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

/// The locale the portal chose, for the whole app at once (`<html lang>` follows it).
fn apply_locale(locale: Option<&str>) {
    if let Some(locale) = locale {
        crate::i18n::switch_to_tag(locale);
    }
}

/// Below this height a band is too small for a dialog, so it grows within the frame.
const SMALLEST_BAND: f64 = 240.0;

/// The part of the frame that the seller sees in the portal, as `--band-top` and `--band-height`
/// on the page, where the style sheet places dialogs. Without them (standalone, or before the
/// portal says) dialogs use the frame's own viewport.
fn apply_band(top: f64, height: f64) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(root) = root_element().and_then(|root| root.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let frame = window
        .inner_height()
        .ok()
        .and_then(|height| height.as_f64())
        .unwrap_or(height);
    let height = height.max(SMALLEST_BAND).min(frame);
    let top = top.min(frame - height).max(0.0);
    let style = root.style();
    for (name, pixels) in [("--band-top", top), ("--band-height", height)] {
        if let Err(error) = style.set_property(name, &format!("{}px", format::tenths(pixels))) {
            leptos::logging::warn!("could not place dialogs in the visible band: {error:?}");
        }
    }
}

/// The portal's theme, as `data-theme` on the page, which the style sheet reads.
fn apply_theme(theme: Option<&str>) {
    if let (Some(theme), Some(root)) = (theme, root_element())
        && let Err(error) = root.set_attribute("data-theme", theme)
    {
        leptos::logging::warn!("could not set the theme: {error:?}");
    }
}
