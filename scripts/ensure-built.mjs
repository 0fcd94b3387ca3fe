// Builds the server (tsc) and the dashboard (vite) when their sources are newer than the last build,
// so `npm start` and `npm test` work straight after `npm ci` and stay fast afterwards.
import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;

/** Newest modification time (ms) of any file below `dir`, or 0 when it does not exist. */
function newest(dir) {
  const path = join(root, dir);
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === "node_modules" || entry === "dist") continue;
    max = Math.max(max, newest(join(dir, entry)));
  }
  return max;
}

function stale(outputs, inputs) {
  const built = Math.min(...outputs.map((o) => (existsSync(join(root, o)) ? statSync(join(root, o)).mtimeMs : 0)));
  return built === 0 || inputs.some((i) => newest(i) > built);
}

const shared = ["package-lock.json"];
if (stale(["dist/cli/main.js"], ["src", "tsconfig.json", "tsconfig.build.json", ...shared])) {
  process.stderr.write("building server (tsc)…\n");
  execSync("npm run --silent build:server", { cwd: root, stdio: "inherit" });
}
if (stale(["web/dist/index.html"], ["web/src", "web/index.html", "web/vite.config.ts", ...shared])) {
  process.stderr.write("building dashboard (vite)…\n");
  execSync("npm run --silent build:web", { cwd: root, stdio: "inherit" });
}
