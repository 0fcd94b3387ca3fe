// `npx tsx bench/_micro.ts [sends] [rate]`: the sandbox's own cost per send, without HTTP. Drives
// `sim.send(JSON.parse(body))` at a simulated `rate` (sends per second of virtual time), runs the scheduler
// every tick like the real-mode interval does, and delivers webhooks to a counting receiver in another
// process. Prints CPU µs per send (process.cpuUsage, so receiver and other load on the machine do not count),
// and the garbage collector's share. Not a registered benchmark (the leading underscore): a tool to see what
// one change does to the hot path before running `npm run bench -- sandbox`.
import { fork } from "node:child_process";
import { PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const SENDS = Number(process.argv[2] ?? 200_000);
const RATE = Number(process.argv[3] ?? 20_000);
const WEBHOOK = process.env.MICRO_NO_WEBHOOK === undefined;
/** Distinct recipients, cycled (the bench uses 400k: nearly every send reaches a new number). */
const RECIPIENTS = Number(process.env.MICRO_RECIPIENTS ?? 400_000);
const PHONE_ID = "106540352242922";
const WABA_ID = "102290129340398";

const receiver = fork(fileURLToPath(new URL("./sandbox.ts", import.meta.url)), [], {
  execArgv: ["--import", "tsx"],
  env: { ...process.env, HERALD_BENCH_ROLE: "receiver" },
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
const port = await new Promise<number>((resolve) =>
  receiver.on("message", (m: { type: string; port: number }) => m.type === "ready" && resolve(m.port)),
);

const { createSandbox } = await import("../src/whatsapp/sandbox/index.js");
const sandbox = createSandbox({
  clock: "virtual",
  seed: 7,
  templateReviewDelayMs: 0,
  // Few recipients would hit the pair limit: it is not what this measures.
  pairLimit: { intervalMs: 1, burst: 1e9 },
  phoneNumbers: [
    {
      id: PHONE_ID,
      wabaId: WABA_ID,
      displayPhoneNumber: "15550783881",
      accessToken: "t",
      appSecret: "s",
      ...(WEBHOOK ? { webhookUrl: `http://127.0.0.1:${port}/webhook` } : {}),
      mpsLimit: 1_000_000_000,
      tier: "TIER_UNLIMITED",
    },
  ],
});
const origin = await sandbox.listen(0);
await fetch(`${origin}/v23.0/${WABA_ID}/message_templates`, {
  method: "POST",
  headers: { authorization: "Bearer t", "content-type": "application/json" },
  body: JSON.stringify({
    name: "bench_offer",
    language: "ko",
    category: "MARKETING",
    components: [
      {
        type: "BODY",
        text: "안녕하세요 {{1}}님, 이번 주 신상품을 확인해 보세요. 감사합니다.",
        example: { body_text: [["김민수"]] },
      },
      { type: "BUTTONS", buttons: [{ type: "QUICK_REPLY", text: "YES" }] },
    ],
  }),
});
await sandbox.advance(10);
const sim = sandbox.sim;
const phone = sim.state.phones.get(PHONE_ID);
if (!phone) throw new Error("no phone");
const clock = sim.clock as { now(): number; set(t: number): void };

let gcMs = 0;
let gcCount = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcMs += e.duration;
    gcCount++;
  }
}).observe({ entryTypes: ["gc"] });

const body = (i: number) =>
  `{"messaging_product":"whatsapp","recipient_type":"individual","to":"8210${String(i % RECIPIENTS).padStart(8, "0")}","type":"template","template":{"name":"bench_offer","language":{"code":"ko"},"components":[{"type":"body","parameters":[{"type":"text","text":"김민수"}]}]}}`;
const tick = 10;
const perTick = Math.max(1, Math.round((RATE * tick) / 1000));
const cpu0 = process.cpuUsage();
const faults0 = process.resourceUsage().minorPageFault;
const t0 = performance.now();
// CPU time by phase: parse + send, the scheduler (statuses and batches), the rest of the event loop (POSTs).
const phases = { send: 0, due: 0, loop: 0 };
const cpuNow = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
let last = cpuNow();
const lap = (phase: keyof typeof phases) => {
  const now = cpuNow();
  phases[phase] += now - last;
  last = now;
};
for (let i = 0; i < SENDS; ) {
  for (let k = 0; k < perTick && i < SENDS; k++, i++) sim.send(phone, "v23.0", JSON.parse(body(i)));
  lap("send");
  clock.set(clock.now() + tick);
  sim.scheduler.runDue(clock.now());
  lap("due");
  await new Promise((r) => setImmediate(r));
  lap("loop");
}
const cpu = process.cpuUsage(cpu0);
const faults = process.resourceUsage().minorPageFault - faults0;
const wall = performance.now() - t0;
const mem = process.memoryUsage();
const perSend = (cpu.user + cpu.system) / SENDS;
console.log(
  `micro: ${SENDS} sends at ${RATE}/s virtual, webhooks ${WEBHOOK ? "on" : "off"}: ${perSend.toFixed(2)} µs CPU/send, ` +
    `${((wall * 1000) / SENDS).toFixed(2)} µs wall/send, GC ${gcCount}× ${gcMs.toFixed(0)} ms (${((gcMs * 1000) / SENDS).toFixed(2)} µs/send), ` +
    `heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MB, ${sim.scheduler.size} pending, ${sim.state.counters.statuses} statuses, ` +
    `${sim.dispatcher.stats.posts} posts, ${(faults / SENDS).toFixed(2)} page faults/send; ` +
    `µs/send by phase: parse+send ${(phases.send / SENDS).toFixed(1)}, scheduler ${(phases.due / SENDS).toFixed(1)}, event loop ${(phases.loop / SENDS).toFixed(1)}`,
);
receiver.kill();
await sandbox.close();
process.exit(0);
