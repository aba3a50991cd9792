// @grpc/grpc-js against Quoncept's gateway: one scenario per run.
// usage: node gateway_client.mjs TARGET DESCRIPTOR_SET SCENARIO USERNAME
// Exit 0 and "OK <scenario>" on success; prints "CHARACTER <id>" for the test to check server-side effects.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const [target, descriptorSet, scenario, username] = process.argv.slice(2);
const definition = protoLoader.loadFileDescriptorSetFromBuffer(readFileSync(descriptorSet), {
  keepCase: true, longs: String, enums: Number, defaults: true, oneofs: true,
});
const packages = grpc.loadPackageDefinition(definition);
const channelOptions = { 'grpc.max_send_message_length': 16 * 1024 * 1024 };
if (scenario === 'gzip') channelOptions['grpc.default_compression_algorithm'] = 2;
const gateway = new packages.quoncept.v1.Gateway(target, grpc.credentials.createInsecure(), channelOptions);
const health = new packages.grpc.health.v1.Health(target, grpc.credentials.createInsecure());
const S = grpc.status;
const SERVING = 1;

function fail(what) {
  console.log(`FAILED ${scenario}: ${what}`);
  process.exit(1);
}
function check(condition, what) { if (!condition) fail(what); }
const within = (ms = 10000) => ({ deadline: Date.now() + ms });

function unary(stub, method, request, options = within()) {
  return new Promise((resolve) => stub[method](request, new grpc.Metadata(), options, (error, response) => resolve({ error, response })));
}

async function expectError(promise, code, words) {
  const { error } = await promise;
  check(error, `expected status ${code}, the call succeeded`);
  check(error.code === code, `expected status ${code}, got ${error.code}: ${error.details}`);
  if (words) check(error.details.includes(words), `details ${JSON.stringify(error.details)}`);
  return error;
}

/** A Connect call with a reader that hands out answers by request id and remembers how the call ended. */
function openStream(token, { connectionId, deadlineMs, authorization = true } = {}) {
  const metadata = new grpc.Metadata();
  metadata.set('connection-id', connectionId ?? `js-${randomUUID().slice(0, 12)}`);
  if (authorization) metadata.set('authorization', `Bearer ${token}`);
  const call = gateway.Connect(metadata, deadlineMs ? { deadline: Date.now() + deadlineMs } : {});
  const waiting = new Map();
  const ended = new Promise((resolve) => {
    call.on('error', (error) => resolve({ code: error.code, details: error.details }));
    call.on('status', (status) => resolve({ code: status.code, details: status.details }));
  });
  call.on('data', (message) => {
    const resolve = waiting.get(message.request_id);
    if (resolve) { waiting.delete(message.request_id); resolve(message); }
  });
  const answer = (message) => new Promise((resolve, reject) => {
    waiting.set(message.request_id, resolve);
    call.write(message);
    ended.then((end) => reject(new Error(`the stream ended (${end.code} ${end.details}) before ${message.request_id} was answered`)));
  });
  return { call, answer, ended };
}

async function loggedInStream(options = {}) {
  const { error, response: session } = await unary(gateway, 'CreateSession', { username });
  check(!error, `CreateSession ${error?.code} ${error?.details}`);
  console.log(`CHARACTER ${session.character_id}`);
  const stream = openStream(session.token, options);
  const login = await stream.answer({ request_id: 'login-1', login: {} });
  check(login.body === 'login_result', `login answered ${JSON.stringify(login)}`);
  return stream;
}

async function main() {
  switch (scenario) {
    case 'session': {
      const { error, response } = await unary(gateway, 'CreateSession', { username });
      check(!error && response.token.split('.').length === 3 && response.character_id, `session ${JSON.stringify(response ?? error)}`);
      await expectError(unary(gateway, 'CreateSession', { username: 'nobody-by-this-name' }), S.NOT_FOUND, 'nobody-by-this-name');
      await expectError(unary(gateway, 'CreateSession', { username: 'no spaces' }), S.INVALID_ARGUMENT, 'username');
      break;
    }
    case 'stream': {
      const stream = await loggedInStream();
      const pong = await stream.answer({ request_id: 'ping-1', ping: { client_time_unix_ms: 42 } });
      check(pong.pong.client_time_unix_ms === '42' && Number(pong.pong.server_time_unix_ms) > 0, `pong ${JSON.stringify(pong)}`);
      const said = await stream.answer({ request_id: 'chat-1', chat: { text: 'hello from grpc-js \u00fc' } });
      check(said.body === 'chat_result' && Number(said.chat_result.sequence) > 0, `chat ${JSON.stringify(said)}`);
      const empty = await stream.answer({ request_id: 'empty-1' });
      check(empty.error?.code === 3 && empty.error.message.includes('no body'), `empty ${JSON.stringify(empty)}`);
      const again = await stream.answer({ request_id: 'chat-1', chat: { text: 'hello from grpc-js \u00fc' } });
      check(again.chat_result?.sequence === said.chat_result.sequence, `repeated request id ${JSON.stringify(again)}`);
      const bye = await stream.answer({ request_id: 'logout-1', logout: {} });
      check(bye.body === 'logout_result' && !bye.logout_result.character.online, `logout ${JSON.stringify(bye)}`);
      stream.call.end();
      const end = await stream.ended;
      check(end.code === S.OK, `stream ended ${end.code} ${end.details}`);
      break;
    }
    case 'unauthenticated': {
      const { response: session } = await unary(gateway, 'CreateSession', { username });
      for (const [token, options, code, words] of [
        ['', { authorization: false }, S.UNAUTHENTICATED, 'authorization'],
        ['not-a-jwt', {}, S.UNAUTHENTICATED, 'token'],
        [session.token, { connectionId: 'has spaces' }, S.INVALID_ARGUMENT, 'connection-id'],
      ]) {
        const stream = openStream(token, { ...options, deadlineMs: 10000 });
        const end = await stream.ended;
        check(end.code === code && end.details.includes(words), `expected ${code} (${words}), got ${end.code}: ${end.details}`);
      }
      break;
    }
    case 'deadline': {
      const stream = await loggedInStream({ deadlineMs: 2000 });
      const end = await stream.ended;
      check(end.code === S.DEADLINE_EXCEEDED, `ended ${end.code} ${end.details}`);
      break;
    }
    case 'cancel': {
      const stream = await loggedInStream();
      stream.call.cancel();
      const end = await stream.ended;
      check(end.code === S.CANCELLED, `after cancel: ${end.code} ${end.details}`);
      break;
    }
    case 'resource_exhausted':
      await expectError(unary(gateway, 'CreateSession', { username: 'x'.repeat(5 * 1024 * 1024) }), S.RESOURCE_EXHAUSTED);
      break;
    case 'bad_message': {
      const raw = new grpc.Client(target, grpc.credentials.createInsecure());
      const bytes = Buffer.from([0x0a, 0x80, 0x80, 0x80, 0x80, 0x01, 0x61, 0x62, 0x63]);
      await expectError(new Promise((resolve) => raw.makeUnaryRequest('/quoncept.v1.Gateway/CreateSession', (b) => b, (b) => b, bytes,
        new grpc.Metadata(), within(), (error, response) => resolve({ error, response }))), S.UNKNOWN);
      const after = await unary(gateway, 'CreateSession', { username });
      check(!after.error, `the gateway stopped serving: ${after.error?.details}`);
      break;
    }
    case 'unimplemented': {
      const raw = new grpc.Client(target, grpc.credentials.createInsecure());
      for (const path of ['/quoncept.v1.Gateway/NoSuchMethod', '/no.such.Service/Nope']) {
        await expectError(new Promise((resolve) => raw.makeUnaryRequest(path, (b) => b, (b) => b, Buffer.alloc(0),
          new grpc.Metadata(), within(), (error, response) => resolve({ error, response }))), S.UNIMPLEMENTED);
      }
      break;
    }
    case 'health': {
      const all = await unary(health, 'Check', {});
      check(!all.error && all.response.status === SERVING, `'' ${JSON.stringify(all.response ?? all.error?.details)}`);
      const ready = await unary(health, 'Check', { service: 'quoncept.v1.Gateway' });
      check(!ready.error && ready.response.status === SERVING, `gateway ${JSON.stringify(ready.response ?? ready.error?.details)}`);
      await expectError(unary(health, 'Check', { service: 'no.such.Service' }), S.NOT_FOUND);
      const watch = health.Watch({ service: 'quoncept.v1.Gateway' }, within(30000));
      const first = await new Promise((resolve) => watch.once('data', resolve));
      check(first.status === SERVING, `watch ${JSON.stringify(first)}`);
      watch.on('error', () => {});
      watch.cancel();
      break;
    }
    case 'gzip': {
      const stream = await loggedInStream();
      const said = await stream.answer({ request_id: 'chat-z', chat: { text: 'z'.repeat(400) } });
      check(said.body === 'chat_result', `gzip chat ${JSON.stringify(said)}`);
      stream.call.end();
      break;
    }
    default:
      fail('unknown scenario');
  }
  console.log(`OK ${scenario}`);
  process.exit(0);
}

main().catch((error) => fail(error.stack ?? String(error)));
