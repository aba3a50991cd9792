// @grpc/grpc-js calling our server: one scenario per run.
// usage: node client.mjs TARGET PROTOS_DIR SCENARIO ; exit 0 and "OK <scenario>" on success.
import { readFileSync } from 'node:fs';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const [target, protosDir, scenario, rootCertificatePath] = process.argv.slice(2);
const definition = protoLoader.loadSync(['quoncept/testing/v1/interop.proto', 'grpc/health/v1/health.proto'], {
  includeDirs: [protosDir], keepCase: false, longs: String, enums: Number, defaults: true,
});
const packages = grpc.loadPackageDefinition(definition);
const options = scenario === 'gzip' ? { 'grpc.default_compression_algorithm': 2 } : {};
const credentials = () => (rootCertificatePath
  ? grpc.credentials.createSsl(readFileSync(rootCertificatePath))
  : grpc.credentials.createInsecure());
const client = new packages.quoncept.testing.v1.TestService(target, credentials(), options);
const health = new packages.grpc.health.v1.Health(target, credentials());
const S = grpc.status;

function fail(what) {
  console.log(`FAILED ${scenario}: ${what}`);
  process.exit(1);
}
function check(condition, what) { if (!condition) fail(what); }
const within = (ms = 10000) => ({ deadline: Date.now() + ms });

function unary(stub, method, request, metadata = new grpc.Metadata(), callOptions = within()) {
  let call;
  const result = new Promise((resolve) => {
    call = stub[method](request, metadata, callOptions, (error, response) => resolve({ error, response }));
  });
  const headers = new Promise((resolve) => call.on('metadata', resolve));
  const status = new Promise((resolve) => call.on('status', resolve));
  return { call, result, headers, status };
}

function collect(call) {
  return new Promise((resolve) => {
    const messages = [];
    call.on('data', (m) => messages.push(m));
    call.on('error', (error) => resolve({ messages, error }));
    call.on('end', () => resolve({ messages, error: null }));
  });
}

async function main() {
  switch (scenario) {
    case 'unary': {
      const { result } = unary(client, 'UnaryEcho', { message: 'hello', payload: Buffer.from([0, 1]) });
      const { error, response } = await result;
      check(!error, `error ${error?.code} ${error?.details}`);
      check(response.message === 'hello' && Buffer.compare(response.payload, Buffer.from([0, 1])) === 0, JSON.stringify(response));
      break;
    }
    case 'tls': {
      const { error, response } = await unary(client, 'UnaryEcho', { message: 'secure' }).result;
      check(!error && response.message === 'secure', `tls ${error?.code} ${error?.details}`);
      const call = client.BidiEcho(within());
      const done = collect(call);
      for (let i = 0; i < 3; i++) call.write({ message: `t${i}` });
      call.end();
      const bidi = await done;
      check(!bidi.error && bidi.messages.map((m) => m.message).join(',') === 't0,t1,t2', `tls bidi ${bidi.error?.details}`);
      break;
    }
    case 'server_stream': {
      const { messages, error } = await collect(client.ServerStream({ message: 's', responseCount: 5 }, within()));
      check(!error, `error ${error?.code} ${error?.details}`);
      check(messages.map((m) => m.index).join(',') === '0,1,2,3,4', messages.map((m) => m.index).join(','));
      break;
    }
    case 'client_stream': {
      const response = await new Promise((resolve, reject) => {
        const call = client.ClientStream(within(), (error, r) => (error ? reject(error) : resolve(r)));
        for (const word of ['a', 'b', 'c']) call.write({ message: word });
        call.end();
      });
      check(response.index === 3 && response.message === 'abc', JSON.stringify(response));
      break;
    }
    case 'bidi': {
      const call = client.BidiEcho(within());
      const done = collect(call);
      for (let i = 0; i < 10; i++) call.write({ message: `m${i}` });
      call.end();
      const { messages, error } = await done;
      check(!error, `error ${error?.code} ${error?.details}`);
      check(messages.map((m) => m.message).join(',') === [...Array(10).keys()].map((i) => `m${i}`).join(','), 'order');
      break;
    }
    case 'deadline': {
      // Connect first: on a cold channel under load a short deadline can expire before the request is
      // sent, and then the server never sees the call the test checks was cancelled.
      const warm = await unary(client, 'UnaryEcho', { message: 'connect first' }).result;
      check(!warm.error, `warm-up ${warm.error?.code}`);
      const { error } = await unary(client, 'Slow', {}, new grpc.Metadata(), within(1000)).result;
      check(error?.code === S.DEADLINE_EXCEEDED, `got ${error?.code} ${error?.details}`);
      break;
    }
    case 'cancel': {
      const warm = await unary(client, 'UnaryEcho', { message: 'connect first' }).result;
      check(!warm.error, `warm-up ${warm.error?.code}`);
      const { call, result } = unary(client, 'Slow', {}, new grpc.Metadata(), within(30000));
      setTimeout(() => call.cancel(), 1000);
      const { error } = await result;
      check(error?.code === S.CANCELLED, `got ${error?.code}`);
      await new Promise((r) => setTimeout(r, 300));
      break;
    }
    case 'metadata': {
      const blob = Buffer.from([0, 1, 2, 250, 255]);
      const metadata = new grpc.Metadata();
      metadata.add('x-echo-text', 'plain value');
      metadata.add('x-echo-blob-bin', blob);
      metadata.add('authorization', 'Bearer abc');
      const { result, headers, status } = unary(client, 'UnaryEcho', { message: 'm' }, metadata);
      const { error, response } = await result;
      check(!error, `error ${error?.code} ${error?.details}`);
      const initial = await headers;
      const trailers = (await status).metadata;
      check(initial.get('x-echo-text')[0] === 'plain value', 'initial text');
      check(Buffer.compare(initial.get('x-echo-blob-bin')[0], blob) === 0, 'initial bin');
      check(Buffer.compare(trailers.get('trailer-x-echo-blob-bin')[0], blob) === 0, 'trailer bin');
      check(response.metadataKeys.includes('authorization'), JSON.stringify(response.metadataKeys));
      break;
    }
    case 'gzip': {
      const { error, response } = await unary(client, 'UnaryEcho', { message: 'z'.repeat(2000), responsePayloadSize: 4000 }).result;
      check(!error, `error ${error?.code} ${error?.details}`);
      check(response.message.length === 2000 && response.payload.length === 4000, 'gzip echo');
      const call = client.BidiEcho(within());
      const done = collect(call);
      for (let i = 0; i < 3; i++) call.write({ message: `g${i}` });
      call.end();
      const bidi = await done;
      check(!bidi.error && bidi.messages.length === 3, `gzip bidi ${bidi.error?.details}`);
      break;
    }
    case 'error_status': {
      const { error } = await unary(client, 'UnaryEcho', { status: { code: 9, message: 'no way: 100% \u00fcnicode' } }).result;
      check(error?.code === S.FAILED_PRECONDITION, `got ${error?.code}`);
      check(error.details === 'no way: 100% \u00fcnicode', `details ${error.details}`);
      break;
    }
    case 'stream_error': {
      const { messages, error } = await collect(client.ServerStream({ responseCount: 2, status: { code: 10, message: 'stop' } }, within()));
      check(messages.length === 2, `received ${messages.length}`);
      check(error?.code === S.ABORTED && error.details === 'stop', `got ${error?.code} ${error?.details}`);
      break;
    }
    case 'unimplemented': {
      const { error } = await unary(client, 'NotImplemented', {}).result;
      check(error?.code === S.UNIMPLEMENTED, `got ${error?.code}`);
      break;
    }
    case 'resource_exhausted': {
      const { error } = await unary(client, 'UnaryEcho', { payload: Buffer.alloc(5 * 1024 * 1024) }).result;
      check(error?.code === S.RESOURCE_EXHAUSTED, `got ${error?.code} ${error?.details}`);
      break;
    }
    case 'health': {
      const { error, response } = await unary(health, 'Check', { service: '' }).result;
      check(!error && response.status === 1, `check ${error?.code} ${JSON.stringify(response)}`);
      const unknown = await unary(health, 'Check', { service: 'unknown' }).result;
      check(unknown.error?.code === S.NOT_FOUND, `unknown ${unknown.error?.code}`);
      const watch = health.Watch({ service: '' }, within());
      const first = await new Promise((resolve) => watch.on('data', resolve));
      check(first.status === 1, 'watch not SERVING');
      watch.on('error', () => {});
      watch.cancel();
      break;
    }
    default:
      fail('unknown scenario');
  }
  client.close();
  health.close();
  console.log(`OK ${scenario}`);
}

const guard = setTimeout(() => fail('timed out'), 20000);
main().then(() => clearTimeout(guard), (e) => fail(e?.stack ?? String(e)));
