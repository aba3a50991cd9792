// One side of the peer bench: N Node clients join one room / one system, then each sends a chat
// line every second for SECONDS s; every line goes to all the others. Prints join and fan-out
// p50/p99 and deliveries/s as one JSON line ("RESULT {...}").
//   node peer.mjs colyseus ws://127.0.0.1:PORT N SECONDS [JOIN_RATE]
//   node peer.mjs quoncept 127.0.0.1:PORT N SECONDS [JOIN_RATE] [USER_PREFIX]
// Clients and servers run on one machine: a line carries its send time (performance.timeOrigin +
// performance.now(), one clock) and each receiver records now - sent.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const [kind, target, nText, secondsText, joinRateText = '100', userPrefix = 'peer', linesText = '1'] = process.argv.slice(2);
const n = Number(nText), seconds = Number(secondsText), joinRate = Number(joinRateText), linesPerSecond = Number(linesText);
if (!['colyseus', 'quoncept'].includes(kind) || !target || !(n >= 2 && n <= 100000) || !(seconds >= 1 && seconds <= 600) || !(joinRate >= 1 && joinRate <= 10000)
    || !(linesPerSecond >= 0.1 && linesPerSecond <= 200)) {
  console.error('usage: node peer.mjs colyseus|quoncept TARGET N(2..100000) SECONDS(1..600) [JOIN_RATE(1..10000)/s] [USER_PREFIX] [LINES_PER_SECOND(0.1..200) each]');
  process.exit(2);
}
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const joins = [], fanout = [];
// Quoncept only: a line's fan-out split at the system actor's turn (its occurred_at_unix_ms, ms resolution).
const toTurn = [], afterTurn = [];
let received = 0, errors = 0;
const firstError = [];
const noteError = (what) => { errors++; if (firstError.length < 5) firstError.push(String(what)); };

let measuring = false;
// A line is "SENT_MS SENDER ...": a client counts the lines of the others (Quoncept also echoes a
// speaker's own line to it, Colyseus's room does not; own lines are not deliveries to count).
function onLine(text, me, occurredAt) {
  const [sentText, sender] = text.split(' ', 2);
  const sent = Number(sentText);
  if (!measuring || sender === String(me) || !Number.isFinite(sent)) return;
  const at = now();
  fanout.push(at - sent);
  if (occurredAt) { toTurn.push(occurredAt - sent); afterTurn.push(at - occurredAt); }
  received++;
}

async function colyseusClient(i) {
  const { Client } = await import('colyseus.js');
  const client = new Client(target);
  const started = now();
  const room = await client.joinOrCreate('chat');
  if (measuring) joins.push(now() - started);
  room.onMessage('chat', (m) => onLine(m.text, i));
  room.onError((code, message) => noteError(`room error ${code} ${message}`));
  return { send: (text) => room.send('chat', text), leave: () => room.leave(true) };
}

let grpc, gateway;
async function quonceptSetup() {
  grpc = (await import('@grpc/grpc-js')).default;
  const protoLoader = (await import('@grpc/proto-loader')).default;
  const protos = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../protos');
  const definition = await protoLoader.load('quoncept/v1/gateway.proto', { includeDirs: [protos], keepCase: true, longs: String, enums: Number, defaults: true, oneofs: true });
  gateway = grpc.loadPackageDefinition(definition).quoncept.v1.Gateway;
}

async function quonceptClient(i) {
  // Its own HTTP/2 connection per client, as each Colyseus client has its own WebSocket.
  const stub = new gateway(target, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
  const username = `${userPrefix}${String(i + 1).padStart(5, '0')}`;
  const started = now();
  const session = await new Promise((resolve, reject) => stub.CreateSession({ username }, { deadline: Date.now() + 30000 }, (e, r) => (e ? reject(new Error(`CreateSession ${username}: ${e.details}`)) : resolve(r))));
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${session.token}`);
  metadata.set('connection-id', `peer-${randomUUID().slice(0, 12)}`);
  const call = stub.Connect(metadata);
  const waiting = new Map();
  let counter = 0;
  call.on('data', (m) => {
    if (m.body === 'chat_message') return onLine(m.chat_message.text, i, Number(m.chat_message.occurred_at_unix_ms));
    if (m.body === 'terminate') return noteError(`terminate ${m.terminate.reason}: ${m.terminate.message}`);
    if (m.body === 'error') noteError(`error ${m.error.code}: ${m.error.message}`);
    const resolve = waiting.get(m.request_id);
    if (resolve) { waiting.delete(m.request_id); resolve(m); }
  });
  call.on('error', (e) => { if (e.code !== grpc.status.CANCELLED) noteError(`stream ${e.code}: ${e.details}`); });
  const request = (body) => new Promise((resolve) => {
    const id = `r${++counter}`;
    waiting.set(id, resolve);
    call.write({ request_id: id, ...body });
  });
  const login = await request({ login: {} });
  if (login.body !== 'login_result') throw new Error(`login of ${username}: ${JSON.stringify(login.error ?? login.body)}`);
  if (measuring) joins.push(now() - started);
  return {
    send: (text) => { call.write({ request_id: `r${++counter}`, chat: { text } }); },
    leave: async () => { await Promise.race([request({ logout: {} }), sleep(5000)]); call.end(); stub.close(); },
  };
}

const percentile = (values, p) => {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

if (kind === 'quoncept') await quonceptSetup();
const connect = kind === 'colyseus' ? colyseusClient : quonceptClient;

// Warm-up, not measured: min(N, 20) other clients (indexes N.. : other users) join, each sends a line, and leave.
const warm = await Promise.all(Array.from({ length: Math.min(n, 20) }, (_, k) => connect(n + k).catch((e) => noteError(`warm-up join: ${e.message}`))));
for (const [k, c] of warm.entries()) c?.send(`${now()} ${n + k} warm-up`);
await sleep(1000);
await Promise.all(warm.map((c) => Promise.resolve(c?.leave()).catch(() => {})));
await sleep(500);

measuring = true;
const clients = [];
const joining = [];
for (let i = 0; i < n; i++) {
  joining.push(connect(i).then((c) => clients.push({ ...c, i }), (e) => noteError(`join ${i}: ${e.message}`)));
  await sleep(1000 / joinRate);
}
await Promise.all(joining);
console.error(`${kind}: ${clients.length}/${n} joined; chatting for ${seconds} s`);

// How late this one process runs its callbacks while the lines flow: every client of a side lives in it, so a
// busy event loop delays each receipt it records, and that delay is the client's, not the server's.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const gc = { ms: 0, maxMs: 0, count: 0 };
const gcObserver = new PerformanceObserver((list) => { for (const e of list.getEntries()) { gc.ms += e.duration; gc.count++; gc.maxMs = Math.max(gc.maxMs, e.duration); } });
gcObserver.observe({ entryTypes: ['gc'] });
const cpuStart = process.cpuUsage();
const chatStart = now();
const interval = 1000 / linesPerSecond;
let said = 0;
const timers = clients.map((c) => {
  const phase = Math.random() * interval;
  let sent = 0;
  return new Promise((resolve) => {
    setTimeout(function tick() {
      c.send(`${now()} ${c.i} line ${++sent}`);
      said++;
      // Each line is due at its own slot (phase + k * interval), so a late timer does not lower the rate.
      const next = chatStart + phase + sent * interval;
      if (next - chatStart < seconds * 1000) setTimeout(tick, Math.max(0, next - now())); else resolve();
    }, phase);
  });
});
await Promise.all(timers);
const chatEnd = now();
await sleep(2000); // the last lines' deliveries
loopDelay.disable();
gcObserver.disconnect();
const cpu = process.cpuUsage(cpuStart);
const expected = said * (clients.length - 1);
await Promise.all(clients.map((c) => Promise.resolve(c.leave()).catch(() => {})));

const result = {
  kind, n, joined: clients.length, seconds, linesPerSecond, linesSaid: said,
  linesPerSecondSaid: said / ((chatEnd - chatStart) / 1000),
  joinP50: percentile(joins, 50), joinP99: percentile(joins, 99),
  fanoutP50: percentile(fanout, 50), fanoutP99: percentile(fanout, 99),
  deliveriesPerSecond: received / ((chatEnd - chatStart) / 1000),
  delivered: received, expected, errors, firstErrors: firstError,
  toTurnP50: percentile(toTurn, 50), toTurnP99: percentile(toTurn, 99), afterTurnP50: percentile(afterTurn, 50), afterTurnP99: percentile(afterTurn, 99),
  loopDelayP50: loopDelay.percentile(50) / 1e6, loopDelayP99: loopDelay.percentile(99) / 1e6,
  gcMs: gc.ms, gcMaxMs: gc.maxMs, gcCount: gc.count,
  clientCpuMicrosPerDelivery: received ? (cpu.user + cpu.system) / received : NaN,
};
console.log('RESULT ' + JSON.stringify(result));
setTimeout(() => process.exit(0), 200).unref();
