// The browser transport under load, beside the gRPC stream with the same load: N clients, all
// moved into one system, then chat lines at a fixed total rate for T seconds; every line goes to
// everyone in the system. Prints per transport: delivery latency p50/p99 (send to receipt, one
// clock: sender and receivers are this process), deliveries/s and lost deliveries, login/move/chat
// round trips, slow-consumer cuts, and the gateway's memory (resident set, from /proc) before
// the clients, with them connected and idle (per connection), and at its peak during the chat.
//
//   node bench.mjs --web http://127.0.0.1:5088 --grpc 127.0.0.1:5080 [--transport both|ws|grpc]
//                  [--clients 1000] [--system s0001] [--first 6] [--seconds 20] [--chat-rate 20]
//                  [--concurrency 32] [--streams-per-channel 50]
// Users are pilot<first>.. (ws; the pilots start at pilot000006) and the next N after them (grpc), so both runs start from logged-out
// characters. For memory figures without the other run's heap in them, run each transport against
// a freshly started system (./run.sh).
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";
import WebSocket from "ws";

const root = new URL("../../../", import.meta.url);
const load = (path) => import(new URL(path, root).href);
const { create, toBinary, fromBinary } = await load("client/web/node_modules/@bufbuild/protobuf/dist/esm/index.js");
const { createClient } = await load("client/web/node_modules/@connectrpc/connect/dist/esm/index.js");
const { createGrpcWebTransport } = await load("client/web/node_modules/@connectrpc/connect-web/dist/esm/index.js");
const { ClientMessageSchema, ServerMessageSchema } = await load("client/web/public/gen/quoncept/v1/stream_pb.js");
const { Gateway, CreateSessionRequestSchema, CreateSessionResponseSchema } = await load("client/web/public/gen/quoncept/v1/gateway_pb.js");
const { QuonceptSession, newConnectionId } = await load("client/web/public/session.js");

const args = parseArgs(process.argv.slice(2), {
  web: "http://127.0.0.1:5088", grpc: "127.0.0.1:5080", transport: "both", clients: 1000, system: "s0001", first: 6,
  seconds: 20, "chat-rate": 20, concurrency: 32, "streams-per-channel": 50,
});
const N = int(args.clients, 1, 100000, "--clients");
const seconds = num(args.seconds, 1, 3600, "--seconds");
const chatRate = num(args["chat-rate"], 0.1, 100000, "--chat-rate");
const concurrency = int(args.concurrency, 1, 1000, "--concurrency");
const first = int(args.first, 1, 10000, "--first");
const transports = args.transport === "both" ? ["ws", "grpc"] : [args.transport];
if (!transports.every((t) => t === "ws" || t === "grpc")) fail("--transport must be ws, grpc or both");
const world = readWorld();
if (!world.systems.has(args.system)) fail(`--system ${args.system} is not in services/Quoncept.Systems/data/systems.tsv`);
const webUrl = new URL(args.web);
const grpcTarget = args.grpc;


async function run(transport, users) {
  const port = transport === "ws" ? Number(webUrl.port || 80) : Number(grpcTarget.split(":").pop());
  const pid = gatewayPid(port);
  const rss = () => (pid ? residentKb(pid) : NaN);
  const baselineKb = rss();
  console.log(`\n== ${transport}: ${N} clients into ${world.systems.get(args.system).name} (${args.system}), gateway pid ${pid ?? "not found"}, baseline ${mib(baselineKb)} MiB`);
  const stats = { login: new Histogram(), move: new Histogram(), chat: new Histogram(), delivery: new Histogram(), delivered: 0, sent: 0, cuts: new Map(), errors: 0 };
  const channels = [];
  const connect = transport === "ws" ? wsConnector() : grpcConnector(channels);
  const clients = new Array(users.length);
  let measuring = false;

  // Log in and walk every character to the system, a few at a time.
  const started = performance.now();
  await pool(users.map((username, k) => async () => {
    const client = await connect(username, (message) => {
      if (message.body.case === "chatMessage" && measuring) {
        const text = message.body.value.text;
        if (text.startsWith("bench ")) {
          stats.delivery.add(performance.now() - Number(text.split(" ")[2]));
          stats.delivered++;
        }
      }
    }, (terminate) => stats.cuts.set(terminate.reason, (stats.cuts.get(terminate.reason) ?? 0) + 1));
    clients[k] = client;
    const t = performance.now();
    const login = await client.request({ case: "login", value: {} });
    stats.login.add(performance.now() - t);
    if (login.body.case !== "loginResult") throw new Error(`${username}: login answered ${login.body.case} ${login.body.value?.message ?? ""}`);
    for (const hop of world.path(login.body.value.character.systemId, args.system)) {
      const m = performance.now();
      const moved = await client.request({ case: "move", value: { toSystemId: hop } });
      stats.move.add(performance.now() - m);
      if (moved.body.case !== "moveResult") throw new Error(`${username}: move to ${hop} answered ${moved.body.case} ${moved.body.value?.message ?? ""}`);
    }
  }), concurrency, (done) => { if (process.stdout.isTTY) process.stdout.write(`\r   in the system: ${done}/${users.length}`); });
  console.log(`${process.stdout.isTTY ? "\n" : ""}   ${users.length} in the system after ${((performance.now() - started) / 1000).toFixed(1)} s`);

  await sleep(2000);
  const idleKb = rss();
  const perConnectionKb = (idleKb - baselineKb) / users.length;

  // The chat: lines at chatRate per second in total, each from a random client.
  let peakKb = idleKb;
  const sampler = setInterval(() => { peakKb = Math.max(peakKb, rss() || 0); }, 500);
  measuring = true;
  const chatStarted = performance.now();
  const inFlight = [];
  for (let line = 0; performance.now() - chatStarted < seconds * 1000; line++) {
    const due = chatStarted + (line * 1000) / chatRate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const k = Math.floor(Math.random() * clients.length);
    const sentAt = performance.now();
    stats.sent++;
    inFlight.push(clients[k].request({ case: "chat", value: { text: `bench ${k} ${sentAt.toFixed(3)}` } })
      .then((answer) => { if (answer.body.case === "chatResult") stats.chat.add(performance.now() - sentAt); else stats.errors++; }, () => stats.errors++));
  }
  const chatSeconds = (performance.now() - chatStarted) / 1000;
  await Promise.race([Promise.allSettled(inFlight), sleep(30000)]);
  await sleep(2000);   // the last lines' deliveries
  measuring = false;
  clearInterval(sampler);

  const expected = stats.sent * users.length;   // everyone present hears a line, its sender too
  const summary = {
    "delivery p50 ms": stats.delivery.percentile(50).toFixed(1),
    "delivery p99 ms": stats.delivery.percentile(99).toFixed(1),
    "deliveries/s": Math.round(stats.delivered / chatSeconds),
    "lost deliveries": expected - stats.delivered,
    "KiB per connection": Number.isNaN(perConnectionKb) ? "n/a" : perConnectionKb.toFixed(1),
    "peak MiB": mib(peakKb),
  };
  console.log(`   login   p50 ${stats.login.percentile(50).toFixed(1)} ms  p99 ${stats.login.percentile(99).toFixed(1)} ms`);
  console.log(`   move    p50 ${stats.move.percentile(50).toFixed(1)} ms  p99 ${stats.move.percentile(99).toFixed(1)} ms  (${stats.move.count} moves)`);
  console.log(`   chat    ${stats.sent} lines in ${chatSeconds.toFixed(1)} s; answer p50 ${stats.chat.percentile(50).toFixed(1)} ms  p99 ${stats.chat.percentile(99).toFixed(1)} ms; ${stats.errors} failed`);
  console.log(`   delivery p50 ${summary["delivery p50 ms"]} ms  p99 ${summary["delivery p99 ms"]} ms  max ${stats.delivery.max.toFixed(1)} ms; ${stats.delivered} of ${expected} delivered (${summary["deliveries/s"]}/s)`);
  console.log(`   gateway memory: baseline ${mib(baselineKb)} MiB, ${users.length} connected and idle ${mib(idleKb)} MiB (${summary["KiB per connection"]} KiB per connection), peak during chat ${mib(peakKb)} MiB`);
  console.log(`   cut off by the gateway: ${stats.cuts.size ? [...stats.cuts].map(([r, c]) => `${r} ${c}`).join(", ") : "none"}`);

  await pool(clients.filter(Boolean).map((c) => async () => { await c.request({ case: "logout", value: {} }).catch(() => {}); c.close(); }), concurrency);
  for (const channel of channels) channel.close();
  return { transport, summary };
}

/** The browser transport: gRPC-Web CreateSession, then the page's own session.js over the `ws` package. */
function wsConnector() {
  const gateway = createClient(Gateway, createGrpcWebTransport({ baseUrl: webUrl.origin }));
  const socketUrl = `ws://${webUrl.host}/ws`;
  return async (username, onEvent, onTerminate) => {
    const grant = await gateway.createSession({ username });
    const session = new QuonceptSession({ url: socketUrl, token: grant.token, connectionId: newConnectionId("bench"), WebSocket });
    session.addEventListener("message", (e) => onEvent(e.detail));
    session.addEventListener("terminate", (e) => onTerminate(e.detail));
    await session.open();
    return { request: async (body) => (await session.request(body)).reply, close: () => session.close() };
  };
}

/** The gRPC stream with @grpc/grpc-js, the same generated messages; a channel per streams-per-channel streams. */
function grpcConnector(channels) {
  const perChannel = int(args["streams-per-channel"], 1, 100, "--streams-per-channel");
  const serialize = (schema) => (message) => Buffer.from(toBinary(schema, message));
  const deserialize = (schema) => (bytes) => fromBinary(schema, bytes);
  let opened = 0;
  return async (username, onEvent, onTerminate) => {
    if (opened++ % perChannel === 0) channels.push(new grpc.Client(grpcTarget, grpc.credentials.createInsecure(), { "grpc.use_local_subchannel_pool": 1 }));
    const channel = channels.at(-1);
    const grant = await new Promise((resolve, reject) => channel.makeUnaryRequest("/quoncept.v1.Gateway/CreateSession",
      serialize(CreateSessionRequestSchema), deserialize(CreateSessionResponseSchema), create(CreateSessionRequestSchema, { username }),
      (error, response) => (error ? reject(error) : resolve(response))));
    const metadata = new grpc.Metadata();
    metadata.set("authorization", `Bearer ${grant.token}`);
    metadata.set("connection-id", newConnectionId("bench"));
    const call = channel.makeBidiStreamRequest("/quoncept.v1.Gateway/Connect", serialize(ClientMessageSchema), deserialize(ServerMessageSchema), metadata);
    const pending = new Map();
    let next = 0;
    call.on("data", (message) => {
      const waiter = message.requestId && pending.get(message.requestId);
      if (waiter) { pending.delete(message.requestId); waiter.resolve(message); }
      else if (message.body.case === "terminate") onTerminate(message.body.value);
      else onEvent(message);
    });
    call.on("error", (error) => { for (const w of pending.values()) w.reject(error); pending.clear(); });
    return {
      request: (body) => new Promise((resolve, reject) => {
        const requestId = `${username}-${++next}`;
        pending.set(requestId, { resolve, reject });
        call.write(create(ClientMessageSchema, { requestId, body }));
      }),
      close: () => call.end(),
    };
  };
}

/** users.tsv and systems.tsv, and shortest jump paths between systems. */
function readWorld() {
  const rows = (path) => readFileSync(new URL(path, root), "utf8").trim().split("\n").slice(1).map((l) => l.split("\t"));
  const users = new Set(rows("services/Quoncept.Sessions/data/users.tsv").map((f) => f[0]));
  const systems = new Map(rows("services/Quoncept.Systems/data/systems.tsv").map((f) => [f[0], { name: f[1], neighbours: f[3] ? f[3].split(",") : [] }]));
  const paths = new Map();
  return {
    users, systems,
    /** The systems to jump through, from `from` (excluded) to `to` (included). */
    path(from, to) {
      if (!paths.has(to)) {
        const previous = new Map([[to, null]]);   // breadth-first from the target: previous[x] = the next hop from x
        for (let queue = [to]; queue.length;) {
          const next = [];
          for (const s of queue) for (const n of systems.get(s)?.neighbours ?? []) if (!previous.has(n)) { previous.set(n, s); next.push(n); }
          queue = next;
        }
        paths.set(to, previous);
      }
      const previous = paths.get(to);
      if (!previous.has(from)) throw new Error(`no jump path from ${from} to ${to}`);
      const hops = [];
      for (let s = from; s !== to; s = previous.get(s)) hops.push(previous.get(s));
      return hops;
    },
  };
}

/** The pid of the process listening on 127.0.0.1:port (Linux /proc), or null. */
function gatewayPid(port) {
  const inodes = new Set();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    try {
      for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
        const f = line.trim().split(/\s+/);
        if (f.length > 9 && f[3] === "0A" && parseInt(f[1].split(":").pop(), 16) === port) inodes.add(f[9]);
      }
    } catch { /* not Linux */ }
  }
  if (!inodes.size) return null;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.startsWith("socket:[") && inodes.has(target.slice(8, -1))) return Number(pid);
      }
    } catch { /* gone, or not ours to read */ }
  }
  return null;
}

function residentKb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
  } catch {
    return NaN;
  }
}

/** Milliseconds in 0.1 ms buckets up to 120 s (one bucket above for anything longer). */
class Histogram {
  #buckets = new Uint32Array(1_200_001);
  count = 0;
  max = 0;
  add(ms) {
    this.#buckets[Math.min(this.#buckets.length - 1, Math.max(0, Math.round(ms * 10)))]++;
    this.count++;
    this.max = Math.max(this.max, ms);
  }
  percentile(p) {
    if (!this.count) return NaN;
    const rank = Math.ceil((p / 100) * this.count);
    for (let i = 0, seen = 0; i < this.#buckets.length; i++) if ((seen += this.#buckets[i]) >= rank) return i / 10;
    return this.max;
  }
}

async function pool(tasks, width, progress) {
  let next = 0, done = 0;
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, async () => {
    while (next < tasks.length) {
      await tasks[next++]();
      progress?.(++done);
    }
  }));
}

function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].replace(/^--/, "").split("=", 2);
    if (!argv[i].startsWith("--") || !(key in defaults)) fail(`unknown argument ${argv[i]}; known: ${Object.keys(defaults).map((k) => "--" + k).join(" ")}`);
    out[key] = inline ?? argv[++i];
  }
  return out;
}
function int(v, lo, hi, name) { const n = Number(v); if (!Number.isInteger(n) || n < lo || n > hi) fail(`${name} must be an integer ${lo}..${hi}, got ${v}`); return n; }
function num(v, lo, hi, name) { const n = Number(v); if (!Number.isFinite(n) || n < lo || n > hi) fail(`${name} must be a number ${lo}..${hi}, got ${v}`); return n; }
function mib(kb) { return Number.isNaN(kb) ? "n/a" : (kb / 1024).toFixed(1); }
function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
function fail(message) { console.error("error: " + message); process.exit(2); }

async function main() {
  const results = [];
  for (const [i, transport] of transports.entries()) {
    const users = Array.from({ length: N }, (_, k) => `pilot${String(first + i * N + k).padStart(6, "0")}`);
    const missing = users.find((u) => !world.users.has(u));
    if (missing) fail(`user ${missing} is not in services/Quoncept.Sessions/data/users.tsv: lower --first or --clients`);
    results.push(await run(transport, users));
  }
  if (results.length > 1) {
    console.log("\nside by side        " + results.map((r) => r.transport.padStart(12)).join(""));
    for (const key of ["delivery p50 ms", "delivery p99 ms", "deliveries/s", "lost deliveries", "KiB per connection", "peak MiB"]) {
      console.log(key.padEnd(20) + results.map((r) => String(r.summary[key]).padStart(12)).join(""));
    }
  }
  process.exit(0);
}

// Last, so that every class and constant above is initialized.
main().catch((error) => { console.error(error); process.exit(1); });
