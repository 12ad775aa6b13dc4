// The demo portal: it frames the app from another origin and speaks the postMessage protocol of
// docs/embedding.md ({"v":1,"type","payload"}), accepting messages only from the app's frame and
// origin, and posting only to that exact origin.
"use strict";

const APP_ORIGIN = document.querySelector('meta[name="app-origin"]').content;
const frame = document.getElementById("app");
const locale = document.getElementById("locale");
const theme = document.getElementById("theme");
const log = document.getElementById("log");
const toasts = document.getElementById("toasts");
const changed = document.getElementById("changed");
let changedCount = 0;

// The portal's own chrome follows the language it sends the app, as a real portal's would.
// The app's words are the app's: these are only the demo portal's frame around it.
const WORDS = {
  en: {
    portal: "Seller portal", demo: "demo, on its own origin", language: "Language", theme: "Theme",
    light: "Light", dark: "Dark", products: "Products", logistics: "Logistics",
    orders: "Orders from my warehouse", finance: "Finance",
    messages: "Messages between the portal and the app", menu: "Portal menu", log: "Messages",
    changed: (n) => `${n} changed`,
  },
  "zh-CN": {
    portal: "卖家后台", demo: "演示，独立来源", language: "语言", theme: "主题",
    light: "浅色", dark: "深色", products: "商品", logistics: "物流",
    orders: "我的仓库发出的订单", finance: "财务",
    messages: "后台与应用之间的消息", menu: "后台菜单", log: "消息",
    changed: (n) => `${n} 个已更改`,
  },
  ru: {
    portal: "Кабинет продавца", demo: "демо, на своём источнике", language: "Язык", theme: "Тема",
    light: "Светлая", dark: "Тёмная", products: "Товары", logistics: "Логистика",
    orders: "Заказы с моего склада", finance: "Финансы",
    messages: "Сообщения между кабинетом и приложением", menu: "Меню кабинета", log: "Сообщения",
    changed: (n) => `изменено: ${n}`,
  },
};

function words() {
  return WORDS[locale.value] || WORDS.en;
}

function showChanged() {
  changed.textContent = changedCount > 0 ? words().changed(changedCount) : "";
}

function translatePortal() {
  const w = words();
  document.documentElement.lang = locale.value;
  document.title = `${w.portal} (${w.demo})`;
  for (const element of document.querySelectorAll("[data-say]")) {
    element.textContent = w[element.dataset.say];
  }
  document.querySelector("nav").setAttribute("aria-label", w.menu);
  log.setAttribute("aria-label", w.log);
  frame.title = w.orders;
  showChanged();
}

// The log shows every message, with tokens shortened: a log is no place for a live token.
function record(direction, message) {
  const text = `${direction} ${JSON.stringify(message, (key, value) =>
    key === "token" ? `${String(value).slice(0, 10)}…` : value)}`;
  const last = log.lastElementChild;
  // Scrolling sends a viewport per frame; the log keeps the latest of a run.
  if (message.type === "viewport" && last && last.dataset.type === "viewport") {
    last.textContent = text;
    return;
  }
  const item = document.createElement("li");
  item.dataset.type = message.type;
  item.textContent = text;
  log.append(item);
}

function send(type, payload) {
  const message = { v: 1, type, payload };
  record("→", message);
  frame.contentWindow.postMessage(message, APP_ORIGIN);
}

// The portal's backend mints a token for its signed-in seller (here: the demo seller).
async function freshToken() {
  const response = await fetch("/token", { method: "POST" });
  if (!response.ok) {
    throw new Error(`the portal could not get a token: ${response.status}`);
  }
  return (await response.json()).token;
}

function toast(kind, text) {
  const item = document.createElement("div");
  item.className = `toast ${kind === "error" || kind === "success" ? kind : ""}`;
  item.textContent = String(text);
  toasts.append(item);
  setTimeout(() => item.remove(), 6000);
}

// The band of the frame that the seller sees, in pixels from the frame's top: the app opens its
// dialogs there even when the frame is taller than the window. Sent at most once per frame.
let viewportQueued = false;
function reportViewport() {
  if (viewportQueued) return;
  viewportQueued = true;
  requestAnimationFrame(() => {
    viewportQueued = false;
    const frameTop = frame.getBoundingClientRect().top + frame.clientTop;
    const top = Math.max(0, -frameTop);
    const bottom = Math.min(frame.clientHeight, window.innerHeight - frameTop);
    send("viewport", { top, height: Math.max(0, bottom - top) });
  });
}

window.addEventListener("message", async (event) => {
  if (event.source !== frame.contentWindow || event.origin !== APP_ORIGIN) {
    return;
  }
  const message = event.data;
  if (!message || message.v !== 1 || typeof message.type !== "string") {
    return;
  }
  record("←", message);
  const payload = message.payload || {};
  try {
    switch (message.type) {
      case "ready":
        send("init", { token: await freshToken(), locale: locale.value, theme: theme.value });
        reportViewport();
        break;
      case "resize": {
        const height = Number(payload.height);
        if (Number.isFinite(height) && height > 0) {
          frame.style.height = `${Math.min(Math.ceil(height), 20000)}px`;
          reportViewport();
        }
        break;
      }
      case "toast":
        toast(payload.kind, payload.text);
        break;
      case "token_request":
        send("token", { token: await freshToken() });
        break;
      case "shipments_changed":
        changedCount += Array.isArray(payload.posting_numbers) ? payload.posting_numbers.length : 0;
        showChanged();
        break;
      default:
        break;
    }
  } catch (error) {
    toast("error", error.message);
  }
});

window.addEventListener("scroll", reportViewport, { passive: true });
window.addEventListener("resize", reportViewport);
locale.addEventListener("change", () => {
  translatePortal();
  send("locale", { locale: locale.value });
});
translatePortal();
theme.addEventListener("change", () => send("theme", { theme: theme.value }));
