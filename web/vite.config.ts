// Vite config for the Herald dashboard. The root is this folder wherever Vite is started from, the build goes to
// web/dist (served by the Herald server), and the dev server proxies the server's own paths to a local `herald start`.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = decodeURIComponent(new URL(".", import.meta.url).pathname);
const server = "http://127.0.0.1:3000";

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Mantine + React + the router make one ~600 kB vendor chunk; that is fine for an admin dashboard.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      "/api": server,
      "/healthz": server,
      "/docs": server,
      "/openapi.json": server,
    },
  },
});
