// Child process of `npm run bench -- campaign --part launch`: launches one campaign (already in `launching`) of the
// database in HERALD_DATA_DIR and prints one JSON line with the wall time and this process's peak RSS, so the
// memory figure is the launch's own, not the generator's.
import { type LaunchPhases, launchCampaign } from "../src/engine/launcher.js";
import { openStore } from "../src/store/db.js";

const dataDir = process.env.HERALD_DATA_DIR ?? "";
const campaignId = process.argv[2] ?? "";
const store = await openStore({ databaseUrl: null, dataDir });
const rssBefore = process.memoryUsage().rss;
const cpu = process.cpuUsage();
const started = performance.now();
let peakRss = rssBefore;
const phases: LaunchPhases = { read: 0, decide: 0, write: 0 };
const campaign = await launchCampaign(campaignId, {
  store,
  now: Date.now,
  phases,
  onProgress: () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  },
});
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
await store.close();
process.stdout.write(
  `${JSON.stringify({
    ms: Math.round(ms),
    cpuMs: Math.round((used.user + used.system) / 1000),
    startRssMb: Math.round(rssBefore / 2 ** 20),
    sampledPeakRssMb: Math.round(peakRss / 2 ** 20),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    phasesCpuMs: {
      read: Math.round(phases.read / 1000),
      decide: Math.round(phases.decide / 1000),
      write: Math.round(phases.write / 1000),
    },
    audience: campaign.audience,
  })}\n`,
);
