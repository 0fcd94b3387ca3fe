import type { Config } from "../config.js";
import type { EmbeddedSandbox } from "../engine/embedded-sandbox.js";
import type { EngineHandle } from "../engine/engine.js";
import type { ProviderRegistry } from "../engine/providers.js";
import type { Logger } from "../logger.js";
import type { SecretBox } from "../secret-box.js";
import type { Store } from "../store/db.js";

/** What every route module receives: configuration, the store, the clock, the logger, the secret box and the providers. */
export interface AppContext {
  config: Config;
  store: Store;
  logger: Logger;
  now: () => number;
  /** Seals and opens provider credentials (HERALD_SECRET_KEY). */
  box: SecretBox;
  /** Provider clients, one pool per Graph origin. */
  providers: ProviderRegistry;
  /** The sandbox running inside this process, when enabled. */
  sandbox: EmbeddedSandbox | null;
  /** Pokes the engine's loops (they also poll on their own). */
  engine: EngineHandle;
  /**
   * True when the engine thread runs the scheduled metrics and analytics refreshes (engine/engine-thread.ts): their
   * long SQLite queries then never stall the HTTP side; the API still runs the refreshes a user asks for.
   */
  refreshesInEngine?: boolean;
}
