export * from "./conversation.js";
export * from "./response-times.js";
