// Runs one scenario of the official @dapr/dapr SDK (unmodified) against a Dapr sidecar:
// `node conformance.mjs <scenario>` with DAPR_HTTP_PORT (and APP_PORT for scenarios that start a
// DaprServer, DAPR_GRPC_PORT for the "grpc" scenario, whose client speaks Dapr's gRPC API over the
// SDK's ConnectRPC transport) set. Prints "PASS <scenario>" and exits 0, or prints why and exits 1.
import { DaprClient, DaprServer, CommunicationProtocolEnum, HttpMethod, DaprPubSubStatusEnum } from "@dapr/dapr";
import assert from "node:assert/strict";

const scenario = process.argv[2];
const daprPort = process.env.DAPR_HTTP_PORT;
const appPort = process.env.APP_PORT;
const appId = process.env.APP_ID ?? "conformance";
const store = "statestore";
const pubsub = "pubsub";
const clientOptions = { daprHost: "127.0.0.1", daprPort, communicationProtocol: CommunicationProtocolEnum.HTTP };
const quiet = { logger: { level: 1 } };

function client() {
  return new DaprClient({ ...clientOptions, ...quiet });
}

function grpcClient() {
  const port = process.env.DAPR_GRPC_PORT;
  assert.ok(port, "DAPR_GRPC_PORT is not set");
  return new DaprClient({ daprHost: "127.0.0.1", daprPort: port, communicationProtocol: CommunicationProtocolEnum.GRPC, ...quiet });
}

function server() {
  return new DaprServer({
    serverHost: "127.0.0.1",
    serverPort: appPort,
    communicationProtocol: CommunicationProtocolEnum.HTTP,
    clientOptions: { ...clientOptions },
    ...quiet,
  });
}

async function eventually(what, check, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// The sidecar loads an app's subscriptions once the app listens; wait until they are in place.
async function waitForSubscriptions(c, count) {
  await eventually(`${count} subscription(s) in /v1.0/metadata`, async () => {
    const metadata = await c.metadata.get();
    return (metadata.subscriptions ?? []).length >= count;
  });
}

const scenarios = {
  async "state-crud"() {
    const c = client();
    await c.state.save(store, [
      { key: "alpha", value: { hp: 10, name: "a" } },
      { key: "beta", value: "plain text" },
      { key: "gamma", value: 42 },
    ]);
    assert.deepEqual(await c.state.get(store, "alpha"), { hp: 10, name: "a" });
    assert.equal(await c.state.get(store, "beta"), "plain text");
    assert.equal(await c.state.get(store, "gamma"), 42);
    const bulk = await c.state.getBulk(store, ["alpha", "gamma", "missing"]);
    const byKey = Object.fromEntries(bulk.map((item) => [item.key, item]));
    assert.deepEqual(byKey.alpha.data, { hp: 10, name: "a" });
    assert.equal(byKey.gamma.data, 42);
    assert.ok(byKey.alpha.etag, "bulk get returns etags");
    assert.equal(byKey.missing.data, undefined);
    await c.state.delete(store, "beta");
    assert.equal(await c.state.get(store, "beta"), "");
  },

  async "state-etag"() {
    const c = client();
    await c.state.save(store, [{ key: "versioned", value: "v1" }]);
    const [first] = await c.state.getBulk(store, ["versioned"]);
    assert.ok(first.etag, "etag present");
    // A write with the current etag wins and changes the etag.
    await c.state.save(store, [{ key: "versioned", value: "v2", etag: first.etag, options: { concurrency: "first-write" } }]);
    const [second] = await c.state.getBulk(store, ["versioned"]);
    assert.notEqual(second.etag, first.etag);
    // A write with the stale etag is rejected (409), and the value stays.
    // (The SDK's save and delete report failures as { error } rather than throwing.)
    const stale = await c.state.save(store, [{ key: "versioned", value: "v3", etag: first.etag, options: { concurrency: "first-write" } }]);
    assert.match(String(stale.error?.message ?? stale.error), /ERR_STATE_ETAG_MISMATCH/);
    assert.match(String(stale.error?.message ?? stale.error), /409/);
    assert.equal(await c.state.get(store, "versioned"), "v2");
    // Delete with a stale etag fails; with the current one it succeeds.
    const staleDelete = await c.state.delete(store, "versioned", { etag: first.etag });
    assert.match(String(staleDelete.error?.message ?? staleDelete.error), /ERR_STATE_ETAG_MISMATCH/);
    const fresh = await c.state.delete(store, "versioned", { etag: second.etag });
    assert.equal(fresh.error, undefined);
    assert.equal(await c.state.get(store, "versioned"), "");
  },

  async "state-transaction"() {
    const c = client();
    await c.state.save(store, [{ key: "tx-old", value: "old" }]);
    await c.state.transaction(store, [
      { operation: "upsert", request: { key: "tx-new", value: { made: true } } },
      { operation: "delete", request: { key: "tx-old" } },
    ]);
    assert.deepEqual(await c.state.get(store, "tx-new"), { made: true });
    assert.equal(await c.state.get(store, "tx-old"), "");
    // A transaction with a stale etag applies nothing.
    await assert.rejects(
      c.state.transaction(store, [
        { operation: "upsert", request: { key: "tx-none", value: 1 } },
        { operation: "upsert", request: { key: "tx-new", value: 2, etag: "999999" } },
      ]),
    );
    assert.equal(await c.state.get(store, "tx-none"), "");
    assert.deepEqual(await c.state.get(store, "tx-new"), { made: true });
  },

  async publish() {
    const c = client();
    const result = await c.pubsub.publish(pubsub, "orders", { id: 1 });
    assert.equal(result.error, undefined, `publish failed: ${result.error}`);
    const text = await c.pubsub.publish(pubsub, "orders", "hello", { contentType: "text/plain" });
    assert.equal(text.error, undefined);
    const bulk = await c.pubsub.publishBulk(pubsub, "orders", [{ a: 1 }, "two", { b: 3 }]);
    assert.deepEqual(bulk.failedMessages, []);
    const missing = await c.pubsub.publish("no-such-pubsub", "orders", { id: 2 });
    assert.ok(missing.error, "publishing to an unknown pubsub reports an error");
  },

  async invoke() {
    const s = server();
    await s.invoker.listen("echo", async (data) => ({ got: JSON.parse(data.body ?? "null"), method: "POST" }), { method: HttpMethod.POST });
    await s.invoker.listen("ping", async () => ({ pong: true }), { method: HttpMethod.GET });
    await s.start();
    try {
      const c = client();
      await eventually("app reachable through the sidecar", async () => {
        try {
          return (await c.invoker.invoke(appId, "ping", HttpMethod.GET))?.pong === true;
        } catch {
          return false;
        }
      });
      const echoed = await c.invoker.invoke(appId, "echo", HttpMethod.POST, { hello: "world" });
      assert.deepEqual(echoed, { got: { hello: "world" }, method: "POST" });
      await assert.rejects(c.invoker.invoke("no-such-app", "ping", HttpMethod.GET));
    } finally {
      await s.stop();
    }
  },

  async subscribe() {
    const s = server();
    const received = [];
    const routed = { widgets: [], other: [] };
    await s.pubsub.subscribe(pubsub, "orders", async (data) => {
      received.push(data);
    });
    await s.pubsub.subscribeWithOptions(pubsub, "items", {
      route: {
        rules: [{ match: 'event.data.kind == "widget"', path: "widgets" }],
        default: "other",
      },
    });
    await s.pubsub.subscribeToRoute(pubsub, "items", "widgets", async (data) => { routed.widgets.push(data); });
    await s.pubsub.subscribeToRoute(pubsub, "items", "other", async (data) => { routed.other.push(data); });
    await s.start();
    try {
      const c = client();
      await waitForSubscriptions(c, 2);
      await c.pubsub.publish(pubsub, "orders", { id: 7 });
      await c.pubsub.publish(pubsub, "orders", "text body", { contentType: "text/plain" });
      await c.pubsub.publish(pubsub, "items", { kind: "widget", n: 1 });
      await c.pubsub.publish(pubsub, "items", { kind: "gadget", n: 2 });
      await eventually("2 orders", () => received.length >= 2);
      assert.ok(received.some((d) => d?.id === 7), `json event delivered: ${JSON.stringify(received)}`);
      assert.ok(received.some((d) => d === "text body"), `text event delivered: ${JSON.stringify(received)}`);
      await eventually("routed items", () => routed.widgets.length >= 1 && routed.other.length >= 1);
      assert.equal(routed.widgets[0].n, 1);
      assert.equal(routed.other[0].n, 2);
    } finally {
      await s.stop();
    }
  },

  async "subscribe-bulk"() {
    const s = server();
    const received = [];
    await s.pubsub.subscribeBulk(pubsub, "bulk-orders", async (data) => {
      received.push(data);
    }, { maxMessagesCount: 10, maxAwaitDurationMs: 100 });
    await s.start();
    try {
      const c = client();
      await waitForSubscriptions(c, 1);
      for (let i = 0; i < 25; i++) {
        await c.pubsub.publish(pubsub, "bulk-orders", { i });
      }
      await eventually("25 bulk-delivered events", () => received.length >= 25);
      const seen = new Set(received.map((d) => d?.i ?? d?.data?.i));
      assert.equal(seen.size, 25, `every event once: ${JSON.stringify(received.slice(0, 3))}`);
    } finally {
      await s.stop();
    }
  },

  async "subscribe-retry-deadletter"() {
    const s = server();
    let attempts = 0;
    const dead = [];
    const retried = [];
    await s.pubsub.subscribeWithOptions(pubsub, "flaky", {
      callback: async (data) => {
        if (data.poison) return DaprPubSubStatusEnum.RETRY;
        attempts++;
        if (attempts < 2) return DaprPubSubStatusEnum.RETRY;
        retried.push(data);
        return DaprPubSubStatusEnum.SUCCESS;
      },
      deadLetterTopic: "flaky-dead",
    });
    await s.pubsub.subscribe(pubsub, "flaky-dead", async (data) => {
      dead.push(data);
    });
    await s.start();
    try {
      const c = client();
      await waitForSubscriptions(c, 2);
      await c.pubsub.publish(pubsub, "flaky", { n: 1 });
      await eventually("retried delivery", () => retried.length === 1);
      assert.ok(attempts >= 2);
      await c.pubsub.publish(pubsub, "flaky", { poison: true });
      await eventually("dead-lettered message", () => dead.length === 1, 20000);
      assert.equal(dead[0].poison, true);
    } finally {
      await s.stop();
    }
  },

  // The gRPC client for state, publish, invocation and metadata; the app it calls is an HTTP DaprServer.
  async grpc() {
    const s = server();
    const received = [];
    await s.invoker.listen("echo", async (data) => ({ got: JSON.parse(data.body ?? "null") }), { method: HttpMethod.POST });
    await s.pubsub.subscribe(pubsub, "grpc-orders", async (data) => { received.push(data); });
    await s.start();
    try {
      if (process.env.DAPR_API_TOKEN) {
        // Started with DAPR_API_TOKEN, the runtime refuses a call that does not carry it; the SDK clients below send it.
        const refused = await fetch(`http://127.0.0.1:${daprPort}/v1.0/metadata`);
        assert.equal(refused.status, 401);
      }
      const g = grpcClient();
      await g.state.save(store, [{ key: "g-alpha", value: { hp: 1 } }, { key: "g-beta", value: "text" }]);
      assert.deepEqual(await g.state.get(store, "g-alpha"), { hp: 1 });
      assert.equal(await g.state.get(store, "g-beta"), "text");
      const bulk = await g.state.getBulk(store, ["g-alpha", "g-missing"]);
      const byKey = Object.fromEntries(bulk.map((item) => [item.key, item]));
      assert.deepEqual(byKey["g-alpha"].data, { hp: 1 });
      assert.ok(byKey["g-alpha"].etag, "bulk get returns etags over gRPC");
      await assert.rejects(
        g.state.save(store, [{ key: "g-alpha", value: 2, etag: "999999" }]),
        (error) => /ABORTED|aborted|etag/i.test(String(error?.message ?? error)),
      );
      // Over gRPC the JS SDK sends a transaction value as given, so it must already be text.
      await g.state.transaction(store, [
        { operation: "upsert", request: { key: "g-tx", value: JSON.stringify({ made: true }) } },
        { operation: "delete", request: { key: "g-beta" } },
      ]);
      assert.deepEqual(await g.state.get(store, "g-tx"), { made: true });
      assert.equal(await g.state.get(store, "g-beta"), "");
      await g.state.delete(store, "g-tx");
      assert.equal(await g.state.get(store, "g-tx"), "");

      await waitForSubscriptions(client(), 1);
      const published = await g.pubsub.publish(pubsub, "grpc-orders", { id: 9 });
      assert.equal(published.error, undefined, `publish failed: ${published.error}`);
      await eventually("event published over gRPC delivered", () => received.some((d) => d?.id === 9));

      const echoed = await g.invoker.invoke(appId, "echo", HttpMethod.POST, { hello: "grpc" });
      assert.deepEqual(echoed, { got: { hello: "grpc" } });

      await g.metadata.set("grpc-key", "grpc-value");
      const metadata = await g.metadata.get();
      assert.equal(metadata.id, appId);
      assert.ok(metadata.components.some((c) => c.name === store), JSON.stringify(metadata.components));
      assert.equal((await client().metadata.get()).extended?.["grpc-key"], "grpc-value");
    } finally {
      await s.stop();
    }
  },
};

const run = scenarios[scenario];
if (!run) {
  console.error(`unknown scenario '${scenario}'; known: ${Object.keys(scenarios).join(", ")}`);
  process.exit(2);
}
try {
  await run();
  console.log(`PASS ${scenario}`);
  process.exit(0);
} catch (error) {
  console.error(`FAIL ${scenario}: ${error?.stack ?? error}`);
  process.exit(1);
}
