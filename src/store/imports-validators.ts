/**
 * Where a batch of records is validated: in this thread (small files, tests) or in one worker thread (large files),
 * so that on two cores phone validation (~18 µs a row) overlaps with the database writes of the previous batch.
 */
import { Worker } from "node:worker_threads";
import type { CsvRecord } from "./imports-csv.js";
import { batchValidator, type ValidatedBatch, type ValidationSetup } from "./imports-validate.js";

export interface Validator {
  validate(records: CsvRecord[]): Promise<ValidatedBatch>;
  close(): Promise<void>;
}

/** Validation in the calling thread. */
export function inlineValidator(setup: ValidationSetup): Validator {
  const validate = batchValidator(setup);
  return { validate: async (records) => validate(records), close: async () => {} };
}

/**
 * Validation in a worker thread; answers come back in the order batches were sent. Falls back to the calling
 * thread when the worker cannot start (e.g. a test runner that cannot load TypeScript in workers).
 */
export function workerValidator(setup: ValidationSetup): Validator {
  let worker: Worker;
  try {
    const here = import.meta.url;
    if (here.endsWith(".ts")) {
      // Running from sources (tsx): the worker registers tsx's loader before importing the TypeScript entry.
      const entry = new URL("./imports-worker.ts", here).href;
      const boot = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
      worker = new Worker(boot, { eval: true, workerData: setup });
    } else {
      worker = new Worker(new URL("./imports-worker.js", here), { workerData: setup });
    }
  } catch {
    return inlineValidator(setup);
  }
  const waiting: { resolve: (batch: ValidatedBatch) => void; reject: (err: Error) => void }[] = [];
  let failure: Error | null = null;
  worker.on("message", (batch: ValidatedBatch) => waiting.shift()?.resolve(batch));
  worker.on("error", (err) => {
    failure = err;
    for (const pending of waiting.splice(0)) pending.reject(err);
  });
  return {
    validate(records) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        worker.postMessage(records);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
