export * from "./attribution.js";
export * from "./clicks.js";
export * from "./compare.js";
export * from "./funnel.js";
export * from "./heatmap.js";
export * from "./money.js";
export * from "./rollup.js";
export * from "./value.js";
