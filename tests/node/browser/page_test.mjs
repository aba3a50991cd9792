// The page in a real browser: Debian's chromium, headless, driven by playwright-core.
//   node page_test.mjs <web url> <screenshot folder> <grace period ms>
// Two pages, alice and bob (bob on a phone-sized screen): both log in; bob jumps away and back
// into alice's system and alice's page shows him within a second; chat both ways; alice's page
// reloads and resumes without bob seeing her leave; both log out. A screenshot per step. Prints
// "STEP <name> <ms>" lines and "OK page" at the end; exits non-zero on the first failure.
import { chromium } from "playwright-core";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [web, shots, graceText] = process.argv.slice(2);
if (!web || !shots) { console.error("usage: node page_test.mjs <web url> <screenshot folder> [grace ms]"); process.exit(2); }
const graceMs = Number(graceText ?? 3000);
mkdirSync(shots, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), "quoncept-chromium-"));

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
  viewport: { width: 1100, height: 800 },
});
let step = 0;
const shot = async (page, name) => page.screenshot({ path: join(shots, `${String(++step).padStart(2, "0")}-${name}.png`), fullPage: true });
const timed = async (name, action) => {
  const started = performance.now();
  await action();
  const ms = performance.now() - started;
  console.log(`STEP ${name} ${ms.toFixed(0)}`);
  return ms;
};
const pageErrors = [];

try {
  const alice = await context.newPage();
  const bob = await context.newPage();
  await bob.setViewportSize({ width: 390, height: 844 });   // a phone
  for (const [name, page] of [["alice", alice], ["bob", bob]]) {
    page.on("pageerror", (e) => pageErrors.push(`${name}: ${e.message}`));
    page.on("console", (m) => { if (m.type() === "error") pageErrors.push(`${name} console: ${m.text()}`); });
  }

  const logIn = async (page, username) => {
    await page.goto(web);
    await page.fill("#username", username);
    await page.click("#login-form button");
    await page.waitForSelector('#status[data-state="online"]');
    await page.waitForSelector("#system-name:not(:empty)");
    await page.waitForSelector(`#present li[data-name="${page === alice ? "Alice" : "Bob"}"]`);
  };
  await timed("alice-login", () => logIn(alice, "alice"));
  await shot(alice, "alice-logged-in");
  await timed("bob-login", () => logIn(bob, "bob"));
  await alice.waitForSelector('#present li[data-name="Bob"]', { timeout: 5000 });
  await shot(bob, "bob-logged-in-phone");
  const home = await alice.getAttribute("#system-name", "data-id");
  if ((await alice.textContent("#rtt")).trim() === "") throw new Error("alice's page shows no round trip");

  // Bob jumps away (the first neighbour on his map), then back into alice's system.
  await bob.waitForSelector("#map g.neighbour");
  const away = await bob.getAttribute("#map g.neighbour", "data-id");
  await timed("bob-jumps-away", async () => {
    await bob.click(`#map g.neighbour[data-id="${away}"]`);
    await bob.waitForSelector(`#system-name[data-id="${away}"]`);
    await alice.waitForSelector('#present li[data-name="Bob"]', { state: "detached", timeout: 5000 });
  });
  await shot(bob, "bob-away-phone");
  await bob.waitForSelector(`#map g.neighbour[data-id="${home}"]`);
  // From the moment bob's page shows him in alice's system (his jump answered) to alice's page showing him.
  let jumped = 0, seen = 0;
  await timed("bob-jumps-in-alice-sees-him", async () => {
    await bob.click(`#map g.neighbour[data-id="${home}"]`);
    await Promise.all([
      bob.waitForSelector(`#system-name[data-id="${home}"]`).then(() => { jumped = performance.now(); }),
      alice.waitForSelector('#present li[data-name="Bob"]', { timeout: 5000 }).then(() => { seen = performance.now(); }),
    ]);
  });
  console.log(`STEP alice-sees-bob-after-his-jump ${(seen - jumped).toFixed(0)}`);
  if (seen - jumped > 1000) throw new Error(`alice's page showed bob ${(seen - jumped).toFixed(0)} ms after his jump (limit 1000 ms)`);
  await alice.waitForSelector('#log li.event:has-text("Bob arrived from")');
  await shot(alice, "alice-sees-bob-arrive");

  // Chat both ways.
  await timed("chat-alice-to-bob", async () => {
    await alice.fill("#chat-input", "hello bob, welcome back");
    await alice.press("#chat-input", "Enter");
    await bob.waitForSelector('#log li.chat:has-text("hello bob, welcome back")', { timeout: 5000 });
  });
  await timed("chat-bob-to-alice", async () => {
    await bob.fill("#chat-input", "thanks alice");
    await bob.press("#chat-input", "Enter");
    await alice.waitForSelector('#log li.chat:has-text("thanks alice")', { timeout: 5000 });
  });
  await shot(alice, "alice-chat");
  await shot(bob, "bob-chat-phone");

  // Alice reloads: the session resumes (same token and connection id from sessionStorage); bob never sees her leave.
  await timed("alice-reload-resumes", async () => {
    await alice.reload();
    await alice.waitForSelector('#status[data-state="online"]');
    await alice.waitForSelector('#present li[data-name="Bob"]');
  });
  const status = await alice.textContent("#status");
  if (!status.includes("resumed")) throw new Error(`alice's page after the reload says "${status}", not resumed`);
  await bob.waitForTimeout(graceMs + 1000);   // a departure would come when the grace period ran out
  const bobLog = await bob.textContent("#log");
  if (/Alice (logged out|timed out|jumped)/.test(bobLog)) throw new Error(`bob saw alice leave across her reload: ${bobLog}`);
  if (await bob.locator('#present li[data-name="Alice"]').count() !== 1) throw new Error("alice is missing from bob's list after her reload");
  await shot(alice, "alice-after-reload");

  // A dropped socket (no close handshake) reconnects silently too.
  await timed("bob-drop-reconnects", async () => {
    await bob.evaluate(() => globalThis.quoncept.session.dropForTest());
    await bob.waitForSelector('#status[data-state="online"]');
    await bob.fill("#chat-input", "back after a drop");
    await bob.press("#chat-input", "Enter");
    await alice.waitForSelector('#log li.chat:has-text("back after a drop")', { timeout: 5000 });
  });
  if (/Bob (logged out|timed out)/.test(await alice.textContent("#log"))) throw new Error("alice saw bob leave across his reconnect");

  await bob.click("#logout");
  await alice.waitForSelector('#log li.event:has-text("Bob logged out")', { timeout: 5000 });
  await shot(alice, "alice-sees-bob-log-out");
  await alice.click("#logout");
  await alice.waitForSelector("#login-form:not([hidden])");
  if (pageErrors.length) throw new Error("errors in the pages:\n" + pageErrors.join("\n"));
  console.log("OK page");
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
