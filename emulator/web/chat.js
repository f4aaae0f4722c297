// The sandbox web chat. Polls /_sandbox/state and acts through /_sandbox/people/<id>/...
// Everything shown is built with DOM nodes and textContent: no user or bot text goes through innerHTML.
"use strict";

const POLL_MS = 700;
const $ = (id) => document.getElementById(id);

const state = {
  bot: { username: "", first_name: "Rembug" },
  links: [],
  people: [],
  personId: null,
  version: null,
  chat: null,
  rendered: new Map(), // message id -> { node, signature }
  seenAnswers: new Map(), // person id -> callback answers already shown
  seenBot: loadSeen(), // person id -> bot messages already seen (unread badges)
  keyboardHidden: false,
  polling: false,
  pollAgain: false,
};

// ---- talking to the sandbox -------------------------------------------------------------

async function api(path, body, options = {}) {
  const init = body === undefined ? {} : {
    method: "POST",
    headers: options.headers || { "Content-Type": "application/json" },
    body: options.raw ? body : JSON.stringify(body),
  };
  const response = await fetch(path, init);
  let data = {};
  try { data = await response.json(); } catch (_) { /* not JSON */ }
  if (!response.ok) throw new Error(data.error || `the sandbox answered ${response.status}`);
  return data;
}

async function act(action, body, options) {
  if (state.personId === null) return null;
  try {
    const result = await api(`/_sandbox/people/${state.personId}/${action}`, body, options);
    pollNow();
    return result;
  } catch (error) {
    toast(error.message);
    return null;
  }
}

async function poll() {
  if (state.polling) { state.pollAgain = true; return; }
  state.polling = true;
  try {
    const asked = state.personId;
    const query = new URLSearchParams({ person: asked === null ? "" : String(asked), v: state.version || "" });
    const data = await api(`/_sandbox/state?${query}`);
    $("offline").hidden = true;
    if (asked === state.personId && !data.same) {
      state.version = data.v;
      state.people = data.people;
      renderPeople();
      renderChat(data.chat);
    }
  } catch (_) {
    $("offline").hidden = false;
  } finally {
    state.polling = false;
    if (state.pollAgain) { state.pollAgain = false; setTimeout(poll, 0); }
  }
}

function pollNow() { poll(); }

// ---- people ------------------------------------------------------------------------------

function initials(name) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0] || "?")[0] + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase();
}

function avatar(name, id, extraClass = "") {
  const node = el("div", `avatar c${Math.abs(id) % 7} ${extraClass}`.trim(), initials(name));
  node.setAttribute("aria-hidden", "true");
  return node;
}

function shortTime(unix) {
  if (!unix) return "";
  const date = new Date(unix * 1000);
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false });
}

function renderPeople() {
  const list = $("people");
  const items = [];
  for (const person of state.people) {
    const item = el("li", "person");
    item.dataset.id = person.id;
    item.tabIndex = 0;
    item.setAttribute("role", "button");
    if (person.id === state.personId) item.classList.add("active");
    item.append(avatar(person.name, person.id));
    const body = el("div", "person-body");
    const top = el("div", "person-line");
    top.append(el("span", "person-name", person.name), el("span", "person-time", shortTime(person.date)));
    const about = el("div", "person-about", person.about + (person.language === "en" ? " · English" : ""));
    const bottom = el("div", "person-line");
    const preview = el("span", "person-preview");
    if (person.blocked) {
      preview.append(el("span", "blocked-mark", "Blocked the bot"));
    } else if (person.preview) {
      if (!person.preview_from_bot) preview.append(el("span", "sender", "You: "));
      preview.append(document.createTextNode(person.preview));
    } else {
      preview.textContent = person.started ? "No messages yet" : "Has not opened the bot";
    }
    bottom.append(preview);
    const unread = person.bot_messages - (state.seenBot.get(person.id) || 0);
    if (person.id !== state.personId && unread > 0) bottom.append(el("span", "badge unread", String(unread)));
    body.append(top, about, bottom);
    item.append(body);
    item.addEventListener("click", () => selectPerson(person.id));
    item.addEventListener("keydown", (event) => { if (event.key === "Enter") selectPerson(person.id); });
    items.push(item);
  }
  list.replaceChildren(...items);
}

function currentPerson() {
  return state.people.find((p) => p.id === state.personId) || null;
}

function selectPerson(id) {
  if (id !== state.personId) {
    state.personId = id;
    state.version = null;
    state.chat = null;
    state.rendered.clear();
    state.keyboardHidden = false;
    $("messages").replaceChildren();
    $("commands").hidden = true;
    localStorage.setItem("rembug-sandbox-person", String(id));
  }
  $("app").classList.add("chat-open");
  $("input").value = "";
  renderPeople();
  const active = document.querySelector(".person.active");
  if (active) active.scrollIntoView({ block: "nearest" });
  pollNow();
  if (window.matchMedia("(min-width: 721px)").matches) $("input").focus();
}

function loadSeen() {
  try { return new Map(JSON.parse(localStorage.getItem("rembug-sandbox-seen") || "[]")); } catch (_) { return new Map(); }
}

function markSeen(personId, count) {
  state.seenBot.set(personId, count);
  localStorage.setItem("rembug-sandbox-seen", JSON.stringify([...state.seenBot]));
}

// ---- the chat ----------------------------------------------------------------------------

function renderChat(chat) {
  const main = document.querySelector(".chat");
  main.classList.toggle("no-person", !chat);
  if (!chat) {
    const empty = el("div", "empty");
    empty.append(el("span", "", "Pick a person to chat with the bot as them."));
    $("messages").replaceChildren(empty);
    return;
  }
  const person = currentPerson();
  const firstLoad = state.chat === null;
  state.chat = chat;
  renderHeader(person, chat);

  const box = $("messages");
  const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 120;
  const lastBefore = box.lastElementChild && box.lastElementChild.dataset.id;
  renderMessages(chat.messages, chat.started);
  const last = chat.messages[chat.messages.length - 1];
  const newOwn = last && !last.from_bot && String(last.id) !== lastBefore;
  if (firstLoad || nearBottom || newOwn) box.scrollTop = box.scrollHeight;

  markSeen(chat.person, chat.messages.filter((m) => m.from_bot).length);
  showNewAnswers(chat, firstLoad);
  renderComposer(chat);
}

function renderHeader(person, chat) {
  $("bot-name").textContent = state.bot.first_name || "Rembug";
  const sub = $("chat-sub");
  sub.replaceChildren(document.createTextNode("bot · you are "), el("b", "", person ? person.name : ""));
  const block = $("block");
  block.textContent = chat.blocked ? "Unblock" : "Block";
  block.classList.toggle("unblock", chat.blocked);
  block.title = chat.blocked ? "Unblock the bot" : "Block the bot (its messages to this person fail)";
}

function renderMessages(messages, started) {
  const box = $("messages");
  const keep = new Set();
  let previous = null;
  if (messages.length === 0) {
    const hint = el("div", "empty");
    hint.dataset.id = "hint";
    hint.append(el("span", "", started
      ? "No messages yet. Type /start, or open a link with the link button above."
      : "This person has not opened the bot yet. Press Start, or open a link with the link button above."));
    box.replaceChildren(hint);
    state.rendered.clear();
    return;
  }
  const hint = box.querySelector('[data-id="hint"]');
  if (hint) hint.remove();
  for (const message of messages) {
    const signature = JSON.stringify(message);
    let entry = state.rendered.get(message.id);
    if (!entry || entry.signature !== signature) {
      const node = messageNode(message);
      if (entry) entry.node.replaceWith(node); // an edit: the message changes in place
      entry = { node, signature };
      state.rendered.set(message.id, entry);
    }
    keep.add(message.id);
    const wanted = previous ? previous.nextSibling : box.firstChild;
    if (entry.node !== wanted) box.insertBefore(entry.node, wanted);
    previous = entry.node;
  }
  for (const [id, entry] of state.rendered) {
    if (!keep.has(id)) { entry.node.remove(); state.rendered.delete(id); }
  }
}

function messageNode(message) {
  const node = el("div", `msg ${message.from_bot ? "in" : "out"}`);
  node.dataset.id = message.id;
  node.dataset.kind = message.kind;
  const bubble = el("div", "bubble");
  const hasText = Boolean(message.text);

  if (message.kind === "photo" && message.file) {
    const img = el("img", "photo");
    img.src = message.file.url;
    img.alt = "Photo";
    img.loading = "lazy";
    img.addEventListener("load", () => keepAtBottom());
    bubble.append(img);
    if (!hasText) node.classList.add("photo-only");
  } else if (message.file && message.kind !== "sticker") {
    bubble.append(fileNode(message));
  } else if (message.kind === "location" && message.location) {
    const { latitude, longitude } = message.location;
    bubble.append(cardNode("📍", "Location", `${latitude.toFixed(5)}, ${longitude.toFixed(5)}`));
  } else if (message.kind === "contact" && message.contact) {
    bubble.append(cardNode(initials(message.contact.name || "?"), message.contact.name, message.contact.phone));
  } else if (message.kind === "sticker") {
    bubble.append(el("div", "text", message.emoji || "Sticker"));
  }
  if (hasText) {
    const text = el("div", "text");
    text.append(renderText(message.text, message.entities || [], message.from_bot));
    bubble.append(text);
  }
  const meta = el("span", "meta");
  if (message.edited) meta.append(el("span", "edited-label", "edited"));
  meta.append(document.createTextNode(shortTime(message.date)));
  if (!message.from_bot) meta.append(el("span", "ticks", "✓✓"));
  const target = bubble.querySelector(".text:last-child") || bubble;
  target.append(meta);
  node.append(bubble);

  if (message.buttons && message.buttons.length) {
    node.classList.add("has-keyboard");
    const keyboard = el("div", "inline-keyboard");
    message.buttons.forEach((row, r) => {
      const line = el("div", "inline-row");
      row.forEach((button, c) => {
        const b = el("button", button.type === "url" ? "url" : "", button.text);
        b.type = "button";
        b.addEventListener("click", () => pressInline(b, message.id, r, c));
        line.append(b);
      });
      keyboard.append(line);
    });
    node.append(keyboard);
  }
  return node;
}

function fileNode(message) {
  const link = el("a", "file");
  link.href = message.file.url;
  link.download = message.file.name;
  const icon = el("div", "file-icon");
  icon.append(svgIcon("M12 4v11M7 10l5 5 5-5M5 20h14"));
  const about = el("div", "");
  about.append(el("div", "file-name", message.file.name), el("div", "file-size", size(message.file.size)));
  link.append(icon, about);
  return link;
}

function cardNode(badge, title, subtitle) {
  const card = el("div", "card");
  const mark = el("div", "avatar c5", badge);
  card.append(mark);
  const text = el("div", "");
  text.append(el("div", "card-title", title), el("div", "card-sub", subtitle));
  card.append(text);
  return card;
}

function size(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function keepAtBottom() {
  const box = $("messages");
  if (box.scrollHeight - box.scrollTop - box.clientHeight < 400) box.scrollTop = box.scrollHeight;
}

// ---- formatted text from entities (offsets are UTF-16 units, like JavaScript strings) -----------

const LINKABLE = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]|\bt\.me\/[^\s<>"]+[^\s<>".,;:!?)\]]|(?:^|(?<=[\s(]))\/[A-Za-z][A-Za-z0-9_]{0,31}\b)/g;

function renderText(text, entities, fromBot) {
  const sorted = entities
    .filter((e) => e.length > 0 && e.offset >= 0 && e.offset < text.length)
    .slice()
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  const fragment = document.createDocumentFragment();
  appendRange(fragment, text, 0, text.length, sorted, fromBot, false);
  return fragment;
}

function appendRange(parent, text, start, end, entities, fromBot, insideLink) {
  let position = start;
  let i = 0;
  while (i < entities.length) {
    const entity = entities[i];
    const entityEnd = Math.min(entity.offset + entity.length, end);
    const inner = [];
    let j = i + 1;
    while (j < entities.length && entities[j].offset < entityEnd) { inner.push(entities[j]); j += 1; }
    if (entity.offset > position) appendPlain(parent, text.slice(position, entity.offset), fromBot, insideLink);
    const node = entityNode(entity, text.slice(entity.offset, entityEnd));
    const linky = insideLink || node.tagName === "A" || node.tagName === "CODE" || node.tagName === "PRE";
    appendRange(node.querySelector("code") || node, text, Math.max(entity.offset, position), entityEnd, inner, fromBot, linky);
    parent.append(node);
    position = Math.max(position, entityEnd);
    i = j;
  }
  if (position < end) appendPlain(parent, text.slice(position, end), fromBot, insideLink);
}

function entityNode(entity, content) {
  switch (entity.type) {
    case "bold": return el("strong");
    case "italic": return el("em");
    case "underline": return el("u");
    case "strikethrough": return el("s");
    case "code": return el("code");
    case "pre": {
      const pre = el("pre");
      const code = el("code");
      if (entity.language) code.dataset.language = entity.language;
      pre.append(code);
      return pre;
    }
    case "spoiler": {
      const span = el("span", "spoiler");
      span.title = "Spoiler: click to show";
      span.addEventListener("click", () => span.classList.toggle("revealed"));
      return span;
    }
    case "blockquote": return el("blockquote");
    case "expandable_blockquote": {
      // As in Telegram: folded to its first lines until tapped.
      const quote = el("blockquote", "expandable collapsed");
      quote.title = "Click to expand";
      quote.addEventListener("click", () => quote.classList.toggle("collapsed"));
      return quote;
    }
    case "text_link": return linkNode(entity.url);
    case "url": return linkNode(content);
    case "bot_command": return commandNode(content);
    default: return el("span");
  }
}

function appendPlain(parent, text, fromBot, insideLink) {
  if (insideLink || !text) { parent.append(document.createTextNode(text)); return; }
  let position = 0;
  for (const match of text.matchAll(LINKABLE)) {
    if (match.index > position) parent.append(document.createTextNode(text.slice(position, match.index)));
    const found = match[0];
    const node = found.startsWith("/") ? (fromBot ? commandNode(found) : el("span")) : linkNode(found);
    node.textContent = found;
    parent.append(node);
    position = match.index + found.length;
  }
  if (position < text.length) parent.append(document.createTextNode(text.slice(position)));
}

function safeUrl(raw) {
  try {
    const url = new URL(/^[a-z]+:/i.test(raw) ? raw : `https://${raw}`);
    return ["http:", "https:", "tg:", "mailto:", "tel:"].includes(url.protocol) ? url : null;
  } catch (_) {
    return null;
  }
}

function isBotLink(url) {
  if (!url || !["t.me", "telegram.me", "www.t.me", "telegram.dog"].includes(url.hostname)) return false;
  const name = url.pathname.replace(/^\/+/, "").split("/")[0].toLowerCase();
  return name === (state.bot.username || "").toLowerCase();
}

function linkNode(raw) {
  const url = safeUrl(raw);
  if (!url) return el("span");
  const link = el("a");
  link.href = url.href;
  link.rel = "noopener noreferrer";
  link.target = "_blank";
  link.addEventListener("click", (event) => {
    if (isBotLink(url)) {
      event.preventDefault();
      openLink(url.href);
    }
  });
  return link;
}

function commandNode(command) {
  const span = el("span", "command");
  span.title = `Send ${command}`;
  span.addEventListener("click", () => send(command.split("@")[0]));
  return span;
}

// ---- acting ---------------------------------------------------------------------------------

async function send(text) {
  if (!text.trim()) return;
  $("commands").hidden = true;
  await act("send", { text });
}

async function pressInline(button, messageId, row, column) {
  button.classList.add("busy");
  const result = await act("press", { message_id: messageId, row, column });
  button.classList.remove("busy");
  if (result && result.open_url) {
    const url = safeUrl(result.open_url);
    if (url) window.open(url.href, "_blank", "noopener");
  }
}

async function pressReply(row, column) {
  await act("reply", { row, column });
}

async function openLink(url) {
  if (state.personId === null) { toast("Pick a person first."); return; }
  await act("link", { url });
}

// ---- callback answers: a toast, or an alert dialog --------------------------------------------

function showNewAnswers(chat, firstLoad) {
  const seen = state.seenAnswers.get(chat.person);
  state.seenAnswers.set(chat.person, chat.answers.length);
  if (firstLoad || seen === undefined) return;
  for (const answer of chat.answers.slice(seen)) {
    if (!answer.text) continue;
    if (answer.alert) showAlert(answer.text); else toast(answer.text);
  }
}

let toastTimer = null;
function toast(text) {
  const node = $("toast");
  node.textContent = text;
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { node.hidden = true; }, 2600);
}

function showAlert(text) {
  $("alert-bot").textContent = state.bot.first_name || "Rembug";
  $("alert-text").textContent = text;
  const dialog = $("alert-dialog");
  if (!dialog.open) dialog.showModal();
}

// ---- composer, reply keyboard, commands ---------------------------------------------------------

function renderComposer(chat) {
  const notStarted = !chat.started && chat.messages.length === 0;
  $("blocked-bar").hidden = !chat.blocked;
  $("start-bar").hidden = chat.blocked || !notStarted;
  $("composer").hidden = chat.blocked || notStarted;

  const keyboard = chat.keyboard;
  $("keyboard-toggle").hidden = !keyboard;
  $("keyboard-toggle").classList.toggle("on", Boolean(keyboard) && !state.keyboardHidden);
  $("input").placeholder = (keyboard && keyboard.placeholder) || "Message";
  const panel = $("reply-keyboard");
  panel.hidden = !keyboard || state.keyboardHidden || chat.blocked;
  const signature = JSON.stringify(keyboard);
  if (panel.dataset.signature !== signature) {
    panel.dataset.signature = signature;
    const rows = [];
    (keyboard ? keyboard.rows : []).forEach((row, r) => {
      const line = el("div", "reply-row");
      row.forEach((button, c) => {
        const b = el("button", "");
        b.type = "button";
        if (button.request) b.dataset.request = button.request;
        b.append(document.createTextNode(button.text));
        b.addEventListener("click", () => pressReply(r, c));
        line.append(b);
      });
      rows.push(line);
    });
    panel.replaceChildren(...rows);
  }
  renderCommands(chat.commands || []);
}

function renderCommands(commands) {
  const box = $("commands");
  const signature = JSON.stringify(commands);
  if (box.dataset.signature === signature) return;
  box.dataset.signature = signature;
  $("commands-button").hidden = commands.length === 0;
  box.replaceChildren(...commands.map((command) => {
    const item = el("button", "command-item");
    item.type = "button";
    item.append(el("span", "command-name", `/${command.command}`), el("span", "command-about", command.description));
    item.addEventListener("click", () => send(`/${command.command}`));
    return item;
  }));
}

async function upload(file) {
  if (!file) return;
  await act("upload", file, {
    raw: true,
    headers: {
      "Content-Type": file.type || "application/octet-stream",
      "X-Filename": encodeURIComponent(file.name),
    },
  });
}

// ---- small helpers ------------------------------------------------------------------------------

function el(tag, className = "", text = null) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== null) node.textContent = text;
  return node;
}

function svgIcon(path) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  const line = document.createElementNS(ns, "path");
  line.setAttribute("d", path);
  svg.append(line);
  return svg;
}

function renderLinks() {
  const foot = $("links");
  const items = [];
  for (const link of state.links) {
    const block = el("div", "");
    block.append(el("div", "hint-title", link.label));
    const a = el("a", "", link.url);
    a.href = link.url;
    a.dataset.link = link.url;
    a.addEventListener("click", (event) => { event.preventDefault(); openLink(link.url); });
    block.append(a);
    items.push(block);
  }
  items.push(el("div", "", "Opening a link sends it as the person chosen."));
  foot.replaceChildren(...items);
}

// ---- wiring -------------------------------------------------------------------------------------

function wire() {
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("input");
    const text = input.value;
    input.value = "";
    send(text);
  });
  $("start").addEventListener("click", () => send("/start"));
  $("unblock").addEventListener("click", () => act("block", { blocked: false }));
  $("block").addEventListener("click", () => act("block", { blocked: !(state.chat && state.chat.blocked) }));
  $("back").addEventListener("click", () => { $("app").classList.remove("chat-open"); });
  $("commands-button").addEventListener("click", () => { $("commands").hidden = !$("commands").hidden; });
  $("keyboard-toggle").addEventListener("click", () => {
    state.keyboardHidden = !state.keyboardHidden;
    if (state.chat) renderComposer(state.chat);
  });
  $("attach").addEventListener("click", () => $("file").click());
  $("file").addEventListener("change", () => { upload($("file").files[0]); $("file").value = ""; });

  $("add-person").addEventListener("click", () => {
    const form = $("new-person");
    form.hidden = !form.hidden;
    if (!form.hidden) $("new-name").focus();
  });
  $("new-cancel").addEventListener("click", () => { $("new-person").hidden = true; });
  $("new-person").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const data = await api("/_sandbox/people", { name: $("new-name").value, language: $("new-language").value });
      $("new-name").value = "";
      $("new-person").hidden = true;
      state.people.unshift(data.person);
      selectPerson(data.person.id);
    } catch (error) {
      toast(error.message);
    }
  });

  $("open-link").addEventListener("click", () => {
    const person = currentPerson();
    $("link-who").textContent = `Opens the link as ${person ? person.name : "…"}, as tapping it in Telegram would.`;
    if (!$("link-url").value && state.links.length) $("link-url").value = state.links[0].url;
    $("link-dialog").showModal();
    $("link-url").select();
  });
  $("link-cancel").addEventListener("click", () => $("link-dialog").close());
  $("link-form").addEventListener("submit", (event) => {
    event.preventDefault();
    $("link-dialog").close();
    openLink($("link-url").value.trim());
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") $("commands").hidden = true;
  });
}

async function start() {
  wire();
  try {
    const info = await api("/_sandbox/info");
    state.bot = info.bot;
    state.links = info.links;
  } catch (_) { /* the poll shows the connection problem */ }
  renderLinks();
  const remembered = Number(localStorage.getItem("rembug-sandbox-person"));
  const wide = window.matchMedia("(min-width: 721px)").matches;
  await poll();
  if (wide && state.people.some((p) => p.id === remembered)) selectPerson(remembered);
  else renderChat(null);
  setInterval(poll, POLL_MS);
}

start();
