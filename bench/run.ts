// `npm run bench -- NAME [args…]` runs bench/NAME.ts. Each benchmark prints its inputs, the machine
// and its figures, and ends with one line holding a JSON object of the figures.
import { readdirSync } from "node:fs";

const name = process.argv[2];
const available = readdirSync(new URL(".", import.meta.url))
  .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.startsWith("_"))
  .map((f) => f.slice(0, -3));

if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- NAME\navailable: ${available.join(", ") || "(none yet)"}\n`);
  process.exit(name ? 2 : 0);
}
process.argv.splice(2, 1);
await import(`./${name}.ts`);
