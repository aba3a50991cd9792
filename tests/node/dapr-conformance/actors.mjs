// Actor scenarios of the official @dapr/dapr SDK (HTTP protocol, unmodified) against the local Dapr
// runtime in daprd-flag mode: `node actors.mjs <scenario>` with DAPR_HTTP_PORT and APP_PORT set.
// The app registers its actors with DaprServer.actor, the runtime discovers them through
// GET /dapr/config, and a DaprClient calls them through ActorProxyBuilder.
// Prints "PASS <scenario>" and exits 0, or prints why and exits 1.
import { AbstractActor, ActorId, ActorProxyBuilder, CommunicationProtocolEnum, DaprClient, DaprServer } from "@dapr/dapr";
import { Temporal } from "@js-temporal/polyfill";
import assert from "node:assert/strict";

const scenario = process.argv[2];
const daprPort = process.env.DAPR_HTTP_PORT;
const appPort = process.env.APP_PORT;
const clientOptions = { daprHost: "127.0.0.1", daprPort, communicationProtocol: CommunicationProtocolEnum.HTTP, logger: { level: 1 } };
const ms = (milliseconds) => Temporal.Duration.from({ milliseconds });

// What the actors saw, for the scenario to check.
const seen = { activations: 0, deactivations: 0, ticks: [], reminders: [] };

class CounterActor extends AbstractActor {
  async onActivate() {
    seen.activations++;
  }

  async onDeactivate() {
    seen.deactivations++;
  }

  async add(n) {
    const [, current] = await this.getStateManager().tryGetState("count");
    const next = (current ?? 0) + n;
    await this.getStateManager().setState("count", next);
    return next;
  }

  async get() {
    const [, current] = await this.getStateManager().tryGetState("count");
    return current ?? 0;
  }

  async whoAmI() {
    return this.getActorId().getId();
  }

  async startTicking() {
    // Scalar data, as the SDK's own e2e tests use: the SDK re-parses callback data with toString(),
    // so objects reach it as "[object Object]" with daprd too (daprd inlines the JSON).
    await this.registerActorTimer("tick", "onTick", ms(50), ms(150), undefined, 100);
    return "started";
  }

  async stopTicking() {
    await this.unregisterActorTimer("tick");
    return "stopped";
  }

  async onTick(state) {
    seen.ticks.push(state);
  }

  async remindMe() {
    await this.registerActorReminder("nudge", ms(100), ms(200), undefined, 123);
    return "registered";
  }

  async forget() {
    await this.unregisterActorReminder("nudge");
    return "forgotten";
  }

  async receiveReminder(data) {
    seen.reminders.push(data);
  }
}

async function eventually(what, check, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const sleep = (milliseconds) => new Promise((r) => setTimeout(r, milliseconds));

// Starts the actor host (this process) and returns a proxy factory once the runtime routes to it.
async function hostActors(actorOptions = {}) {
  const server = new DaprServer({
    serverHost: "127.0.0.1",
    serverPort: appPort,
    communicationProtocol: CommunicationProtocolEnum.HTTP,
    clientOptions: { ...clientOptions, actor: actorOptions },
    logger: { level: 1 },
  });
  await server.actor.init();
  server.actor.registerActor(CounterActor);
  await server.start();
  const client = new DaprClient(clientOptions);
  const builder = new ActorProxyBuilder(CounterActor, client);
  const proxy = (id) => builder.build(new ActorId(id));
  // The runtime reads GET /dapr/config once the app listens: wait until the type is placed.
  await eventually("CounterActor registered in the runtime", async () => {
    const metadata = await client.metadata.get();
    return (metadata.actors ?? []).some((a) => a.type === "CounterActor");
  });
  return { server, proxy };
}

const scenarios = {
  async "actor-invoke"() {
    const { server, proxy } = await hostActors();
    try {
      assert.equal(await proxy("a").whoAmI(), "a");
      assert.equal(await proxy("a").add(5), 5);
      assert.equal(await proxy("a").add(2), 7);
      assert.equal(await proxy("b").add(1), 1, "another id is another actor");
      assert.equal(await proxy("a").get(), 7);
      assert.equal(seen.activations, 2, "each actor activated once");
      await assert.rejects(proxy("a").noSuchMethod(), "an unknown method is an error");
      // Concurrent calls on one actor take turns: no increment is lost.
      await Promise.all(Array.from({ length: 20 }, () => proxy("c").add(1)));
      assert.equal(await proxy("c").get(), 20);
    } finally {
      await server.stop();
    }
  },

  async "actor-state"() {
    const { server, proxy } = await hostActors({ actorIdleTimeout: "1s", actorScanInterval: "200ms" });
    try {
      assert.equal(await proxy("saver").add(40), 40);
      assert.equal(await proxy("saver").add(2), 42);
      // Idle deactivation drops the in-memory actor; its state comes back from the sidecar's store.
      await eventually("idle deactivation", () => seen.deactivations >= 1, 8000);
      assert.equal(await proxy("saver").get(), 42);
      assert.ok(seen.activations >= 2, "reactivated after deactivation");
    } finally {
      await server.stop();
    }
  },

  async "actor-timer"() {
    const { server, proxy } = await hostActors();
    try {
      assert.equal(await proxy("ticker").startTicking(), "started");
      await eventually("3 timer ticks", () => seen.ticks.length >= 3);
      assert.equal(seen.ticks[0], 100);
      assert.equal(await proxy("ticker").stopTicking(), "stopped");
      await sleep(200);
      const stopped = seen.ticks.length;
      await sleep(500);
      assert.equal(seen.ticks.length, stopped, "no tick after the timer was unregistered");
    } finally {
      await server.stop();
    }
  },

  async "actor-reminder"() {
    const { server, proxy } = await hostActors();
    try {
      assert.equal(await proxy("forgetful").remindMe(), "registered");
      await eventually("2 reminders", () => seen.reminders.length >= 2);
      assert.equal(seen.reminders[0], 123);
      assert.equal(await proxy("forgetful").forget(), "forgotten");
      await sleep(300);
      const stopped = seen.reminders.length;
      await sleep(600);
      assert.equal(seen.reminders.length, stopped, "no reminder after it was unregistered");
    } finally {
      await server.stop();
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
