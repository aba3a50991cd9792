// The page: log in by username (CreateSession over gRPC-Web), then everything on the browser
// transport (session.js): your character, the system you are in and who is here, the star map
// (tap a neighbour to jump), chat, arrivals and departures as they happen, each request's round
// trip. The session (token, connection id) is kept in sessionStorage, so a reload resumes it
// without anybody seeing you leave.
import { createClient, ConnectError, Code } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { Gateway } from "./gen/quoncept/v1/gateway_pb.js";
import { QuonceptSession, newConnectionId } from "./session.js";
import { drawStarMap } from "./starmap.js";

const gateway = createClient(Gateway, createGrpcWebTransport({ baseUrl: location.origin }));
const STORE = "quoncept.session";
const $ = (id) => document.getElementById(id);

const state = {
  session: null,      // QuonceptSession
  me: null,           // Character
  system: null,       // SystemInfo of the current system
  sequence: 0n,       // of the last snapshot or event applied
  present: new Map(), // character id -> Character
  around: new Map(),  // neighbour id -> SystemInfo (for the map's outer ring)
  lastRtt: null,
};
globalThis.quoncept = state;   // for the browser tests and the curious

$("login-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  $("login-error").textContent = "";
  const username = $("username").value.trim();
  try {
    const started = performance.now();
    const grant = await gateway.createSession({ username });
    showRtt("session", performance.now() - started);
    const saved = { username, token: grant.token, characterId: grant.characterId, connectionId: newConnectionId(), expiresAtUnixMs: Number(grant.expiresAtUnixMs) };
    sessionStorage.setItem(STORE, JSON.stringify(saved));
    await start(saved);
  } catch (error) {
    $("login-error").textContent = error instanceof ConnectError && error.code === Code.NotFound
      ? `No user called "${username}".` : `Could not log in: ${error.message}`;
  }
});

$("chat-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = $("chat-input").value;
  if (!text.trim()) return;
  $("chat-input").value = "";
  await request("chat", { text });
});

$("logout").addEventListener("click", async () => {
  await request("logout", {});
  endSession("You logged out.");
});

async function start(saved) {
  const session = new QuonceptSession({ url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`, token: saved.token, connectionId: saved.connectionId });
  state.session = session;
  session.addEventListener("status", (e) => onStatus(e.detail));
  session.addEventListener("message", (e) => onLiveEvent(e.detail));
  session.addEventListener("terminate", (e) => {
    const t = e.detail;
    if (t.reason === "replaced" || t.reason === "logged_out") endSession(t.reason === "replaced" ? "You logged in somewhere else." : "Your session ended.");
  });
  $("login-form").hidden = true;
  $("game").hidden = false;
  try {
    await session.open();
  } catch (error) {
    endSession(`The gateway refused the session (${error.code}: ${error.reason}). Log in again.`);
  }
}

function onStatus({ state: s, resumed, reason }) {
  $("status").dataset.state = s;
  $("status").textContent = s === "online" && resumed ? "online (resumed)" : s;
  $("status").title = reason ?? "";
  // Every admission, first or after a reconnect, asks for a fresh snapshot: Login is idempotent.
  if (s === "online") login();
}

async function login() {
  const answer = await request("login", {});
  if (answer?.body.case === "loginResult") enter(answer.body.value.character, answer.body.value.system);
}

async function jump(systemId) {
  const answer = await request("move", { toSystemId: systemId });
  if (answer?.body.case === "moveResult") {
    addLog("event", `You jumped to ${answer.body.value.system.system.name}.`);
    enter(answer.body.value.character, answer.body.value.system);
  }
}

/** Sends one request, logs its round trip; returns the answer, or null if it failed. */
async function request(kind, value) {
  try {
    const { reply, rttMs } = await state.session.request({ case: kind, value });
    const failed = reply.body.case === "error" ? reply.body.value : null;
    showRtt(kind, rttMs, failed?.message);
    if (failed) addLog("event", `${kind} refused: ${failed.message}`);
    return failed ? null : reply;
  } catch (error) {
    showRtt(kind, NaN, error.message);
    return null;
  }
}

function enter(character, snapshot) {
  state.me = character;
  const changed = state.system?.id !== snapshot.system.id;
  state.system = snapshot.system;
  state.sequence = snapshot.sequence;
  state.present = new Map(snapshot.present.map((c) => [c.id, c]));
  $("me").textContent = character.name;
  $("system-name").textContent = snapshot.system.name;
  $("system-name").dataset.id = snapshot.system.id;
  $("system-security").textContent = `security ${snapshot.system.security.toFixed(1)}`;
  renderPresent();
  if (changed) state.around = new Map();
  renderMap();
  if (changed) loadAround(snapshot.system);
}

/** The neighbours' own lanes, for the map's outer ring (gRPC-Web GetSystem, one per neighbour). */
async function loadAround(system) {
  await Promise.all(system.neighbours.map(async (n) => {
    try {
      const info = await gateway.getSystem({ systemId: n.id });
      if (state.system?.id === system.id) state.around.set(n.id, info);
    } catch { /* the inner ring is enough */ }
  }));
  if (state.system?.id === system.id) renderMap();
}

function onLiveEvent(message) {
  const { case: kind, value } = message.body;
  if (!state.system || value.systemId !== state.system.id) return;
  if (value.sequence <= state.sequence) return;                // already in the snapshot
  if (value.sequence > state.sequence + 1n) { login(); return; } // a gap: the snapshot is stale
  state.sequence = value.sequence;
  if (kind === "characterArrived") {
    state.present.set(value.character.id, value.character);
    addLog("event", value.fromSystemId ? `${value.character.name} arrived from ${nameOf(value.fromSystemId)}.` : `${value.character.name} logged in.`);
  } else if (kind === "characterDeparted") {
    state.present.delete(value.characterId);
    const how = value.reason === "moved" ? `jumped to ${nameOf(value.toSystemId)}` : value.reason === "timeout" ? "timed out" : "logged out";
    addLog("event", `${value.characterName} ${how}.`);
  } else if (kind === "chatMessage") {
    addLog("chat", value.text, value.characterName);
  }
  renderPresent();
}

function renderPresent() {
  const list = $("present");
  list.replaceChildren(...[...state.present.values()].sort((a, b) => a.name.localeCompare(b.name)).map((c) => {
    const li = document.createElement("li");
    li.textContent = c.id === state.me?.id ? `${c.name} (you)` : c.name;
    li.dataset.id = c.id;
    li.dataset.name = c.name;
    return li;
  }));
  $("present-count").textContent = `(${state.present.size})`;
}

function renderMap() {
  drawStarMap($("map"), state.system, state.around, jump);
}

function nameOf(systemId) {
  return state.system?.neighbours.find((n) => n.id === systemId)?.name ?? systemId;
}

function addLog(kind, text, who) {
  const li = document.createElement("li");
  li.className = kind;
  if (who) {
    const name = document.createElement("span");
    name.className = "who";
    name.textContent = who + ": ";
    li.append(name);
  }
  li.append(text);
  $("log").append(li);
  $("log").scrollTop = $("log").scrollHeight;
}

function showRtt(kind, ms, error) {
  const text = Number.isNaN(ms) ? `${kind} failed` : `${kind} ${ms.toFixed(1)} ms`;
  state.lastRtt = { kind, ms };
  $("rtt").textContent = text;
  const li = document.createElement("li");
  li.textContent = error ? `${text}: ${error}` : text;
  li.dataset.kind = kind;
  $("requests").prepend(li);
  while ($("requests").children.length > 50) $("requests").lastChild.remove();
}

function endSession(why) {
  sessionStorage.removeItem(STORE);
  state.session?.close();
  state.session = null;
  state.system = null;
  $("game").hidden = true;
  $("login-form").hidden = false;
  $("login-error").textContent = why;
  $("status").dataset.state = "closed";
  $("status").textContent = "offline";
}

// A ping every 5 s keeps the round trip shown current.
setInterval(() => { if (state.session && state.system) request("ping", { clientTimeUnixMs: BigInt(Date.now()) }); }, 5000);

// A reload (or a second visit in this tab) resumes the session it had.
const saved = JSON.parse(sessionStorage.getItem(STORE) ?? "null");
if (saved && saved.expiresAtUnixMs > Date.now()) start(saved);
