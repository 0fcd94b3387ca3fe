#!/usr/bin/env node
// The `herald` command. The TypeScript sources are compiled into dist/ by `npm run build`
// (`npm start` and `npm run herald` build first when the sources are newer than dist/).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write("herald: dist/ is missing; run `npm run build` first (npm start does it for you).\n");
  process.exit(1);
}
await import(entry.href);
