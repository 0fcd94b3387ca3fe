import { describe, expect, it } from "vitest";
import { InFlight } from "../../src/engine/in-flight.js";

const deferred = () => {
  let resolve = () => {};
  let reject: (err: Error) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe("InFlight (the dispatcher's cap on sends in flight)", () => {
  it("waits for a free slot only when at the cap, and wakes when any one settles", async () => {
    const flight = new InFlight();
    const works = [deferred(), deferred(), deferred()];
    for (const w of works) flight.add(w.promise);
    expect(flight.size).toBe(3);
    await flight.below(4); // not at the cap: at once
    let freed = false;
    const waiting = flight.below(3).then(() => {
      freed = true;
    });
    await Promise.resolve();
    expect(freed).toBe(false);
    works[1]?.reject(new Error("a send that failed still frees its slot"));
    await waiting;
    expect(freed).toBe(true);
    expect(flight.size).toBe(2);
  });

  it("settled() waits for everything added, including what is added meanwhile", async () => {
    const flight = new InFlight();
    const a = deferred();
    const b = deferred();
    flight.add(a.promise);
    let done = false;
    const all = flight.settled().then(() => {
      done = true;
    });
    flight.add(b.promise);
    a.resolve();
    await new Promise((r) => setTimeout(r, 5));
    expect(done).toBe(false);
    b.resolve();
    await all;
    expect(flight.size).toBe(0);
  });
});
