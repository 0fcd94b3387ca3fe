/**
 * Worker-thread entry for large imports: receives the validation setup once, then batches of CSV records, and
 * answers each batch with its validated rows and errors, in order. See imports-validate.ts.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { CsvRecord } from "./imports-csv.js";
import { batchValidator, type ValidationSetup } from "./imports-validate.js";

const validate = batchValidator(workerData as ValidationSetup);
parentPort?.on("message", (records: CsvRecord[]) => {
  parentPort?.postMessage(validate(records));
});
