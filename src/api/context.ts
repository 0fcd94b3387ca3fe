import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { Store } from "../store/db.js";

/** What every route module receives: configuration, the store, the clock and the logger. */
export interface AppContext {
  config: Config;
  store: Store;
  logger: Logger;
  now: () => number;
}
