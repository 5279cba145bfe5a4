// The sandbox's web chat: act as one team member, talk to the bot through the stand-in's
// /control/ side, and redraw a chat whenever the stand-in reports something happened in it.
"use strict";

const state = { setup: null, me: null, chat: null, last: 0, unread: {}, toastTimer: null,
  newest: {}, lastPress: null };
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(await response.text());
  return response.json();
}

async function postJson(url, body) {
  const response = await fetch(url, { method: "POST", body: JSON.stringify(body),
    headers: { "Content-Type": "application/json" } });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error || response.statusText);
  return answer;
}

// -- people and chats -------------------------------------------------------------------

async function init() {
  const lang = new URLSearchParams(location.search).get("lang") || "";
  state.setup = await getJson("/sandbox/api/setup?lang=" + encodeURIComponent(lang));
  const labels = state.setup.labels;
  document.documentElement.lang = state.setup.language;
  document.title = labels.title;
  $("title").textContent = labels.title;
  $("intro").textContent = labels.intro;
  $("who").textContent = labels.who;
  $("text").placeholder = labels.pick;
  $("send").textContent = labels.send;
  $("messages").append(el("p", { class: "empty" }, labels.pick));
  renderPeople();
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("text").value;
    if (state.me && text.trim()) send(text).then(() => { $("text").value = ""; });
  });
  follow();
}

function renderPeople() {
  const list = $("people");
  list.replaceChildren(...state.setup.people.map((person) => el("li", {},
    el("button", { class: "person" + (person === state.me ? " active" : ""),
      "data-user-id": person.user_id, onclick: () => choose(person) },
    badge(person.user_id), person.name, el("small", {}, person.role_label)))));
}

function badge(chatId) {
  const count = state.unread[chatId];
  return count ? el("span", { class: "badge" }, String(count)) : null;
}

function choose(person) {
  state.me = person;
  $("text").disabled = false;
  $("send").disabled = false;
  $("text").placeholder = state.setup.labels.placeholder;
  openChat(person.user_id);
  loadMenu();
}

function openChat(chatId) {
  state.chat = chatId;
  delete state.unread[chatId];
  markSeen(chatId, state.last);
  renderPeople();
  renderChatHeader();
  loadMessages(true);
  $("text").focus();
}

function renderChatHeader() {
  const labels = state.setup.labels;
  const group = state.setup.group;
  const inGroup = group && state.chat === group.chat_id;
  $("chat-title").textContent = state.me.name + " — " + (inGroup ? group.title : labels.private);
  const tabs = [el("button", { class: inGroup ? "" : "active",
    onclick: () => openChat(state.me.user_id) }, labels.private)];
  if (group) {
    tabs.push(el("button", { class: inGroup ? "active" : "", "data-chat-id": group.chat_id,
      onclick: () => openChat(group.chat_id) }, badge(group.chat_id), labels.group));
  }
  $("chats").replaceChildren(...tabs);
}

async function loadMenu() {
  const commands = await getJson(
    `/sandbox/api/commands/${state.me.user_id}?lang=${state.me.language}`);
  $("menu").replaceChildren(...commands.map((c) =>
    el("button", { title: c.description, onclick: () => send("/" + c.command) },
      "/" + c.command)));
}

// -- talking to the bot -----------------------------------------------------------------

async function send(text) {
  if (!state.me) return;
  const body = { user_id: state.me.user_id, text };
  if (state.chat !== state.me.user_id) body.chat_id = state.chat;
  try {
    await postJson("/control/send", body);
  } catch (error) {
    toast(state.setup.labels.refused.replace("{reason}", error.message));
  }
}

async function press(message, data, label) {
  // Telegram only flashes the answer to a button; the page keeps a trace under the message.
  state.lastPress = { chat: state.chat, message_id: message.message_id };
  remember(state.chat, message.message_id, { label, answer: "" });
  try {
    await postJson("/control/press", { user_id: state.me.user_id, chat_id: state.chat,
      message_id: message.message_id, callback_data: data });
  } catch (error) {
    toast(state.setup.labels.refused.replace("{reason}", error.message));
  }
}

// Long-polls the stand-in's event log: redraw the open chat, count new bot messages elsewhere.
async function follow() {
  for (;;) {
    try {
      const body = await getJson(`/control/events?after=${state.last}&timeout=25`);
      state.last = body.last;
      let redraw = false;
      for (const event of body.events) {
        if (event.chat_id === state.chat) {
          redraw = true;
          markSeen(event.chat_id, event.seq);
          if (event.type === "callback_answer" && event.answer.text) {
            toast(event.answer.text);
            const pressed = state.lastPress;
            if (pressed && pressed.chat === event.chat_id) {
              const trace = recall(pressed.chat, pressed.message_id);
              if (trace) remember(pressed.chat, pressed.message_id,
                { ...trace, answer: event.answer.text });
            }
          }
        } else if (event.type === "message" && event.from_bot && event.seq > seen(event.chat_id)) {
          // Unread only: what arrived after this chat was last looked at, also after a reload.
          state.unread[event.chat_id] = (state.unread[event.chat_id] || 0) + 1;
        }
      }
      if (redraw) await loadMessages(false);
      renderPeople();
      if (state.me) renderChatHeader();
    } catch (error) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function loadMessages(jump) {
  const chatId = state.chat;
  const messages = await getJson(`/control/chats/${chatId}/messages`);
  if (chatId !== state.chat) return;
  const box = $("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const newest = messages.length ? messages[messages.length - 1].message_id : 0;
  const arrived = newest > (state.newest[chatId] || 0);
  state.newest[chatId] = newest;
  if (!messages.length) {
    const group = state.setup.group;
    const inGroup = group && chatId === group.chat_id;
    const labels = state.setup.labels;
    box.replaceChildren(el("p", { class: "empty" }, inGroup ? labels.empty_group : labels.empty_chat));
    return;
  }
  box.replaceChildren(...messages.map(renderMessage));
  // A new message is shown; an edit further up leaves the reader where they were.
  if (jump || atBottom || arrived) box.scrollTop = box.scrollHeight;
}

// -- what this browser has seen and pressed, kept over a reload -------------------------

function storeKey(name) {
  return `achtervang:${state.setup.instance}:${name}`;
}

function seen(chatId) {
  return Number(localStorage.getItem(storeKey("seen:" + chatId)) || 0);
}

function markSeen(chatId, seq) {
  if (seq > seen(chatId)) localStorage.setItem(storeKey("seen:" + chatId), String(seq));
}

function remember(chatId, messageId, trace) {
  localStorage.setItem(storeKey(`pressed:${chatId}:${messageId}`), JSON.stringify(trace));
}

function recall(chatId, messageId) {
  const raw = localStorage.getItem(storeKey(`pressed:${chatId}:${messageId}`));
  return raw ? JSON.parse(raw) : null;
}

// -- drawing a message as Telegram would ------------------------------------------------

function renderMessage(m) {
  const mine = !m.from_bot && m.from.id === state.me.user_id;
  const node = el("div", { class: "msg " + (m.from_bot ? "bot" : "user") + (mine ? " mine" : ""),
    "data-message-id": m.message_id });
  if (m.chat.type !== "private" && !mine) {
    node.append(el("div", { class: "sender" },
      [m.from.first_name, m.from.last_name].filter(Boolean).join(" ")));
  }
  if (m.reply_to_message) {
    node.append(el("div", { class: "quote" },
      (m.reply_to_message.text || m.reply_to_message.caption || "").slice(0, 120)));
  }
  if (m.text !== undefined) node.append(formatted(m.text, m.entities || []));
  if (m.document) {
    const d = m.document;
    node.append(el("a", { class: "document", href: `/control/documents/${d.file_id}`,
      download: d.file_name }, `📄 ${d.file_name} (${Math.ceil(d.file_size / 1024)} kB)`));
    if (m.caption) node.append(el("div", {}, formatted(m.caption, m.caption_entities || [])));
  }
  const time = new Date(m.date * 1000).toLocaleTimeString(state.setup.language,
    { hour: "2-digit", minute: "2-digit", timeZone: state.setup.timezone });
  node.append(el("div", { class: "meta" }, m.edit_date
    ? el("span", { class: "edited" }, state.setup.labels.edited + " · " + time) : time));
  const rows = (m.reply_markup && m.reply_markup.inline_keyboard) || [];
  if (rows.length) {
    node.append(el("div", { class: "keyboard" }, ...rows.map((row) => el("div", { class: "row" },
      ...row.map((b) => b.url
        ? el("a", { href: b.url, target: "_blank", rel: "noopener" }, b.text)
        : el("button", { "data-callback": b.callback_data || "",
          onclick: () => press(m, b.callback_data, b.text) }, b.text))))));
  }
  const trace = recall(m.chat.id, m.message_id);
  if (trace) {
    const said = state.setup.labels.pressed.replace("{button}", trace.label);
    node.append(el("div", { class: "pressed" }, trace.answer ? `${said} — ${trace.answer}` : said));
  }
  return node;
}

const TAGS = { bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code",
  pre: "pre", blockquote: "blockquote", expandable_blockquote: "blockquote" };

// Entity offsets count UTF-16 units, as JavaScript strings do, so they index `text` directly.
function formatted(text, entities) {
  const body = el("div", { class: "text" });
  const sorted = [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
  fill(body, text, 0, text.length, sorted);
  return body;
}

function fill(parent, text, start, end, entities) {
  let pos = start;
  let i = 0;
  while (i < entities.length) {
    const e = entities[i];
    const stop = e.offset + e.length;
    let j = i + 1;
    const inner = [];
    for (; j < entities.length && entities[j].offset < stop; j++) {
      if (entities[j].offset + entities[j].length <= stop) inner.push(entities[j]);
    }
    if (e.offset >= pos) {
      parent.append(text.slice(pos, e.offset));
      const node = entityNode(e, text.slice(e.offset, stop));
      fill(node, text, e.offset, stop, inner);
      parent.append(node);
      pos = stop;
    }
    i = j;
  }
  parent.append(text.slice(pos, end));
}

function entityNode(entity, content) {
  if (entity.type === "text_link" || entity.type === "url") {
    return el("a", { href: entity.url || content, target: "_blank", rel: "noopener" });
  }
  if (entity.type === "bot_command") {
    return el("span", { class: "command", onclick: () => send(content) });
  }
  if (entity.type === "spoiler") return el("span", { class: "spoiler" });
  return el(TAGS[entity.type] || "span");
}

function toast(text) {
  const box = $("toast");
  box.textContent = text;
  box.hidden = false;
  clearTimeout(state.toastTimer);
  state.toastTimer = setTimeout(() => { box.hidden = true; }, 4000);
}

init();
