import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../support/app.js";

// Real: routes (text/csv upload parser), the import job runner, files in a temp data dir, SQLite. Faked: the clock.
describe("CSV import jobs API", () => {
  let t: TestApp;
  let auth: { authorization: string };
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "herald-imports-"));
    t = await buildTestApp({ HERALD_DATA_DIR: dir });
    auth = { authorization: await t.bearer("marketer") };
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = (body: string | Buffer, kind = "contacts") =>
    t.app.inject({
      method: "POST",
      url: `/api/v1/imports?kind=${kind}&fileName=list.csv`,
      headers: { ...auth, "content-type": "text/csv" },
      payload: body,
    });

  async function finished(id: string) {
    for (let i = 0; i < 100; i++) {
      const job = (await t.app.inject({ method: "GET", url: `/api/v1/imports/${id}`, headers: auth })).json();
      if (job.state === "succeeded" || job.state === "failed") return job;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error("the import did not finish");
  }

  it("uploads, previews with a suggested mapping, imports, and lists rejected rows by line", async () => {
    const csv =
      "Mobile,Full Name,Opt-in,Notes\n010-2222-0001,김하은,yes,x\n010-2222-0002,Ben,no,y\nnot a phone,Bad,yes,z\n";
    const uploaded = await upload(csv);
    expect(uploaded.statusCode).toBe(201);
    const body = uploaded.json();
    expect(body).toMatchObject({
      state: "uploaded",
      fileName: "list.csv",
      header: ["Mobile", "Full Name", "Opt-in", "Notes"],
      suggestedMapping: { Mobile: "phone", "Full Name": "name", "Opt-in": "consent", Notes: null },
      problems: [],
    });
    expect(body.sampleRows[0]).toEqual(["010-2222-0001", "김하은", "yes", "x"]);
    const bad = await t.app.inject({
      method: "POST",
      url: `/api/v1/imports/${body.id}/start`,
      headers: auth,
      payload: { mapping: { "Full Name": "name" } },
    });
    expect(bad.statusCode).toBe(400);
    const started = await t.app.inject({
      method: "POST",
      url: `/api/v1/imports/${body.id}/start`,
      headers: auth,
      payload: { mapping: body.suggestedMapping, defaultCountry: "KR" },
    });
    expect(started.statusCode).toBe(202);
    const job = await finished(body.id);
    expect(job).toMatchObject({
      state: "succeeded",
      progress: { rowsRead: 3, imported: 2, rejected: 1 },
      result: { created: 2, updated: 0 },
    });
    const errors = await t.app.inject({ method: "GET", url: `/api/v1/imports/${body.id}/errors`, headers: auth });
    expect(errors.json().data).toEqual([
      { line: 4, column: "Mobile", message: expect.stringContaining("not_a_number") },
    ]);
    const again = await t.app.inject({
      method: "POST",
      url: `/api/v1/imports/${body.id}/start`,
      headers: auth,
      payload: { mapping: body.suggestedMapping },
    });
    expect(again.statusCode).toBe(409);
    expect((await t.app.inject({ method: "GET", url: "/api/v1/imports", headers: auth })).json().data[0].id).toBe(
      body.id,
    );
  });

  it("refuses a UTF-16 file at upload and a JSON body for uploads", async () => {
    const utf16 = await upload(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("p\u0000h\u0000\n\u0000", "latin1")]),
    );
    expect(utf16.statusCode).toBe(400);
    expect(utf16.json().error.message).toContain("UTF-16");
    const json = await t.app.inject({
      method: "POST",
      url: "/api/v1/imports?kind=contacts",
      headers: auth,
      payload: { a: 1 },
    });
    expect(json.statusCode).toBe(415);
  });

  it("reports EUC-KR rows in the preview problems", async () => {
    const euc = Buffer.concat([
      Buffer.from("phone,name\n010-2222-0003,"),
      Buffer.from([0xb1, 0xe8]),
      Buffer.from("\n"),
    ]);
    const res = await upload(euc);
    expect(res.json().problems[0]).toContain("line 2 is not valid UTF-8");
  });
});
