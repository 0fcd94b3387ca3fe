// The Cloud API sandbox: see docs/sandbox.md.
export { createSandbox, type Sandbox, startSandbox } from "./app.js";
export type { AudienceOptions, SandboxOptions, SandboxPhoneNumberOptions, WebhookOptions } from "./options.js";
export type { InboundSpec } from "./sim.js";
export type { ReceivedMessage } from "./state.js";
