// Browser test of the dashboard.
// Real: the Herald server (fresh SQLite database, one admin) serving the built web/dist, and Debian's Chromium.
// Faked: nothing. Needs `web/dist` built (`npm test` builds it first) and /usr/bin/chromium (or CHROMIUM_PATH).
import { existsSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../support/server.js";

const root = new URL("../..", import.meta.url).pathname;
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasBrowser = existsSync(chromiumPath);

if (!hasBrowser) {
  if (process.env.HERALD_REQUIRE_BROWSER === "1") {
    throw new Error(
      `HERALD_REQUIRE_BROWSER=1 but chromium was not found at ${chromiumPath} (install Debian's chromium)`,
    );
  }
  console.warn(`browser tests skipped: chromium not found at ${chromiumPath} (install Debian's chromium)`);
}

/** The sections of the menu, as the English UI names them; each page's <h1> carries the same name. */
const SECTIONS = [
  ["Contacts", "/contacts"],
  ["Segments", "/segments"],
  ["Templates", "/templates"],
  ["Campaigns", "/campaigns"],
  ["Inbox", "/inbox"],
  ["Automations", "/automations"],
  ["Analytics", "/analytics"],
  ["Settings", "/settings/users"],
] as const;

/**
 * Calls the API as a signed-in admin from the test itself, to add data a CRM would send (the dashboard under test
 * never sees this session).
 */
async function apiSession(url: string, admin: { email: string; password: string }) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(admin),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status}`);
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

describe.skipIf(!hasBrowser)("dashboard in Chromium", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(root, "web/dist/index.html"))) {
      throw new Error("web/dist/index.html is missing: build the dashboard first (npm run build:web)");
    }
    // The sandbox reviews the demo templates after 1 s instead of 20 s, so they are APPROVED by the time the
    // template and campaign tests run.
    server = await startTestServer({ HERALD_SANDBOX_REVIEW_DELAY_MS: "1000" });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    // A fixed English locale, so the first visit is in English whatever the machine's language is.
    context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  const h1 = (name: string) => page.getByRole("heading", { level: 1, name, exact: true });
  const menu = () => page.getByRole("navigation");

  it("sends a visitor without a session from / to the login page", async () => {
    await page.goto(`${server.url}/`);
    await page.waitForURL("**/login");
    await h1("Sign in to Herald").waitFor();
  });

  it("shows an error for a wrong password", async () => {
    await page.getByRole("textbox", { name: "Email", exact: true }).fill(server.admin.email);
    await page.getByRole("textbox", { name: "Password", exact: true }).fill("definitely-not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const error = page.getByTestId("login-error");
    await error.waitFor();
    expect(await error.textContent()).toBe("Wrong email or password.");
  });

  it("signs the admin in and lands on campaigns with the user's email and role shown", async () => {
    await page.getByRole("textbox", { name: "Password", exact: true }).fill(server.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/campaigns");
    await h1("Campaigns").waitFor();
    const user = page.getByTestId("current-user");
    expect(await user.textContent()).toContain(server.admin.email);
    expect(await user.textContent()).toContain("Admin");
  });

  it("opens every section from the menu, each with its title", async () => {
    for (const [name, path] of SECTIONS) {
      await menu().getByRole("link", { name, exact: true }).click();
      await page.waitForURL(`**${path}`);
      await h1(name).waitFor();
    }
  });

  it("shows the demo campaigns' analytics and opens a campaign report", async () => {
    await menu().getByRole("link", { name: "Analytics", exact: true }).click();
    const table = page.getByTestId("attribution-table");
    const row = table.getByRole("row").filter({ hasText: "블랙프라이데이 본 행사" });
    await row.waitFor();
    await row.getByRole("link", { name: "블랙프라이데이 본 행사" }).click();
    await page.waitForURL("**/analytics/campaigns/*");
    await h1("블랙프라이데이 본 행사").waitFor();
    const funnel = page.getByTestId("funnel-table");
    await funnel.getByText("Delivered", { exact: true }).waitFor();
    await page.getByRole("link", { name: "Export CSV" }).waitFor();
    await page.getByRole("link", { name: /All analytics/ }).click();
    await page.getByRole("tab", { name: "Sender health" }).click();
    await page.getByTestId("sender-health").getByText("24-hour reply rate").waitFor();
    await page.getByRole("tab", { name: "Attribution rule" }).click();
    expect(await page.getByTestId("attribution-rule").textContent()).toContain("within 7 days");
  });

  it("creates an API key, shows its secret once, and lists it as active", async () => {
    await menu().getByRole("link", { name: "Settings", exact: true }).click();
    await page.getByRole("tab", { name: "API keys" }).click();
    await page.waitForURL("**/settings/api-keys");
    await page.getByRole("button", { name: "Create API key" }).click();

    const form = page.getByRole("dialog", { name: "Create an API key" });
    await form.getByRole("textbox", { name: "Name", exact: true }).fill("CRM sync");
    await form.getByRole("combobox", { name: "Role" }).click();
    await page.getByRole("option", { name: "Marketer", exact: true }).click();
    await form.getByRole("button", { name: "Create key" }).click();

    const secretDialog = page.getByRole("dialog", { name: "Your new API key" });
    const secret = secretDialog.getByTestId("api-key-secret");
    await secret.waitFor();
    expect((await secret.textContent())?.trim()).toMatch(/^hk_\S{16,}$/);
    await secretDialog.getByText("It will not be shown again").waitFor();
    await secretDialog.getByRole("button", { name: "I have copied the key" }).click();
    await secretDialog.waitFor({ state: "hidden" });

    const row = page.getByRole("row").filter({ hasText: "CRM sync" });
    await row.getByText("Active", { exact: true }).waitFor();
    expect(await row.textContent()).toContain("Marketer");
  });

  it("revokes the key after confirmation", async () => {
    const row = page.getByRole("row").filter({ hasText: "CRM sync" });
    await row.getByRole("button", { name: "Revoke CRM sync" }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke API key" });
    await confirm.getByRole("button", { name: "Revoke", exact: true }).click();
    await confirm.waitFor({ state: "hidden" });
    await row.getByText("Revoked", { exact: true }).waitFor();
    expect(await row.getByRole("button", { name: "Revoke CRM sync" }).count()).toBe(0);
  });

  it("lists the demo sandbox sender and tests its connection", async () => {
    await page.getByRole("tab", { name: "Sender numbers" }).click();
    await page.waitForURL("**/settings/senders");
    const row = page.getByRole("row").filter({ hasText: "Sandbox number" });
    await row.waitFor();
    expect(await row.textContent()).toContain("Sandbox");
    expect(await row.textContent()).toContain("106540352242922");
    expect(await row.textContent()).toContain("Not tested yet");

    await row.getByRole("button", { name: "Test the connection of Sandbox number" }).click();
    const result = page.getByTestId("sender-test-ok");
    await result.getByText("Sandbox number: connection works").waitFor();
    expect(await result.textContent()).toContain("Verified name");
    // The server recorded the check on the sender.
    await row.getByText("Connected", { exact: true }).waitFor();
  });

  it("adds a sandbox sender with generated credentials, edits it keeping them, and deletes it", async () => {
    await page.getByRole("button", { name: "Add sender number" }).click();
    const form = page.getByRole("dialog", { name: "Add a sender number" });
    await form.getByRole("textbox", { name: "Name", exact: true }).fill("Second line");
    await form.getByRole("combobox", { name: "Provider" }).click();
    await page.getByRole("option", { name: "Sandbox", exact: true }).click();
    await form.getByText("The built-in sandbox").waitFor();
    await form.getByRole("textbox", { name: "Phone number ID" }).fill("100200300400500");
    await form.getByRole("textbox", { name: "WABA ID" }).fill("900800700");
    await form.getByRole("button", { name: "Fill in random credentials" }).click();
    await form.getByRole("button", { name: "Add number" }).click();
    await form.waitFor({ state: "hidden" });

    const row = page.getByRole("row").filter({ hasText: "Second line" });
    await row.waitFor();
    expect(await row.textContent()).toContain("100200300400500");

    // Editing with the secret fields left empty keeps the stored credentials: the connection still works.
    await row.getByRole("button", { name: "Edit Second line" }).click();
    const edit = page.getByRole("dialog", { name: "Edit “Second line”" });
    const token = edit.getByLabel("Access token");
    expect(await token.inputValue()).toBe("");
    await edit.getByText("Leave empty to keep the current value.").first().waitFor();
    await edit.getByRole("textbox", { name: "Name", exact: true }).fill("Second line (edited)");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await edit.waitFor({ state: "hidden" });
    const edited = page.getByRole("row").filter({ hasText: "Second line (edited)" });
    await edited.getByRole("button", { name: "Test the connection of Second line (edited)" }).click();
    await page.getByText("Second line (edited): connection works").waitFor();

    await edited.getByRole("button", { name: "Delete Second line (edited)" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete sender number" });
    await confirm.getByRole("button", { name: "Delete", exact: true }).click();
    await confirm.waitFor({ state: "hidden" });
    await edited.waitFor({ state: "detached" });
  });

  it("shows the provider's error when a sender's connection test fails", async () => {
    await page.getByRole("button", { name: "Add sender number" }).click();
    const form = page.getByRole("dialog", { name: "Add a sender number" });
    await form.getByText("Where to find these in Meta's App Dashboard").waitFor();
    await form.getByRole("textbox", { name: "Name", exact: true }).fill("Unreachable");
    await form.getByRole("textbox", { name: "Phone number ID" }).fill("555000111");
    await form.getByRole("textbox", { name: "WABA ID" }).fill("555000222");
    await form.getByLabel("Access token").fill("EAAG-not-a-real-token");
    await form.getByLabel("App secret").fill("not-a-real-secret");
    await form.getByLabel("Webhook verify token").fill("my-verify-token");
    await form.getByRole("button", { name: "Advanced" }).click();
    // Nothing listens on port 9, so the provider cannot be reached.
    await form.getByRole("textbox", { name: "API origin" }).fill("http://127.0.0.1:9");
    await form.getByRole("button", { name: "Add number" }).click();
    await form.waitFor({ state: "hidden" });

    const row = page.getByRole("row").filter({ hasText: "Unreachable" }).first();
    await row.getByRole("button", { name: "Test the connection of Unreachable" }).click();
    const failure = page.getByTestId("sender-test-failed");
    await failure.getByText("Unreachable: connection failed").waitFor();
    expect(await failure.textContent()).toContain("not reached");
    await row.getByText("Failed", { exact: true }).waitFor();

    await row.getByRole("button", { name: "Delete Unreachable" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete sender number" });
    await confirm.getByRole("button", { name: "Delete", exact: true }).click();
    await confirm.waitFor({ state: "hidden" });
  });

  it("shows marketers the sender numbers without the admin actions, and says why", async () => {
    await page.getByRole("tab", { name: "Users" }).click();
    await page.getByRole("button", { name: "Add user" }).click();
    const form = page.getByRole("dialog", { name: "Add a user" });
    const marketer = { email: "marketer@example.com", password: "marketer password 1" };
    await form.getByRole("textbox", { name: "Email", exact: true }).fill(marketer.email);
    await form.getByRole("textbox", { name: "Password", exact: true }).fill(marketer.password);
    await form.getByRole("button", { name: "Create user" }).click();
    await form.waitFor({ state: "hidden" });

    const other = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 800 } });
    try {
      const marketerPage = await other.newPage();
      marketerPage.setDefaultTimeout(10_000);
      marketerPage.on("pageerror", (error) => pageErrors.push(error.message));
      await marketerPage.goto(`${server.url}/settings/senders`);
      await marketerPage.waitForURL("**/login");
      await marketerPage.getByRole("textbox", { name: "Email", exact: true }).fill(marketer.email);
      await marketerPage.getByRole("textbox", { name: "Password", exact: true }).fill(marketer.password);
      await marketerPage.getByRole("button", { name: "Sign in" }).click();
      await marketerPage.waitForURL("**/settings/senders");
      await marketerPage.getByRole("row").filter({ hasText: "Sandbox number" }).waitFor();
      await marketerPage.getByTestId("senders-admin-hint").getByText("Only administrators can add").waitFor();
      expect(await marketerPage.getByRole("button", { name: /Test the connection/ }).count()).toBe(0);
      expect(await marketerPage.getByRole("button", { name: "Add sender number" }).count()).toBe(0);
    } finally {
      await other.close();
    }
  });

  it("lists contacts, searches them, and opens a contact with its metrics, tags and orders", async () => {
    // The test's own customer, added through the API as a CRM would: a contact, an order, a tag with a note.
    const api = await apiSession(server.url, server.admin);
    const contact = await api<{ id: string }>("POST", "/api/v1/contacts", {
      phone: "010-5555-0101",
      defaultCountry: "KR",
      name: "Browser Test Buyer",
      consent: { state: "opted_in", source: "form" },
    });
    await api("POST", "/api/v1/orders", {
      externalId: "browser-test-1",
      contactId: contact.id,
      amount: 39000,
      currency: "KRW",
      placedAt: Date.now() - 86_400_000,
      status: "paid",
    });
    await api("POST", `/api/v1/contacts/${contact.id}/tags`, { tag: "wholesale", note: "met at the fair" });

    await menu().getByRole("link", { name: "Contacts", exact: true }).click();
    await h1("Contacts").waitFor();
    const table = page.getByTestId("contacts-table");
    await table.getByRole("link", { name: "Browser Test Buyer" }).waitFor();
    expect(await table.getByRole("row").count()).toBeGreaterThan(1);

    // Search narrows the list (and is kept in the URL).
    await page.getByRole("textbox", { name: "Search" }).fill("Browser Test");
    await page.waitForURL(/[?&]q=Browser/);
    await expect.poll(() => table.getByRole("row").count(), { timeout: 10_000 }).toBe(2); // header + the one match
    await table.getByRole("link", { name: "Browser Test Buyer" }).waitFor();

    // Export CSV downloads the filtered list.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Export CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^contacts-.*\.csv$/);
    const exported = await readFile((await download.path()) ?? "", "utf8");
    expect(exported.split("\n")[0]).toMatch(/^id,phone,name,/);
    expect(exported).toContain("+821055550101,Browser Test Buyer");
    expect(exported.trim().split("\n")).toHaveLength(2);

    await table.getByRole("link", { name: "Browser Test Buyer" }).click();
    await page.waitForURL(`**/contacts/${contact.id}`);
    await h1("Browser Test Buyer").waitFor();
    expect(await page.getByTestId("contact-profile").textContent()).toContain("+821055550101");
    expect(await page.getByTestId("contact-consent").textContent()).toContain("Opted in");
    const metrics = page.getByTestId("contact-metrics");
    await metrics.getByText("Orders, 30 days").waitFor();
    expect(await metrics.textContent()).toContain("₩39,000");
    const tags = page.getByTestId("contact-tags");
    await tags.getByText("wholesale", { exact: true }).waitFor();
    expect(await tags.textContent()).toContain("met at the fair");
    expect(await page.getByTestId("contact-orders").textContent()).toContain("browser-test-1");
  });

  it("imports contacts from a CSV file: mapping, preview, progress, and every rejected line with its reason", async () => {
    await menu().getByRole("link", { name: "Contacts", exact: true }).click();
    await page.getByRole("link", { name: "Import CSV" }).click();
    await page.waitForURL("**/contacts/import");
    const csv =
      "Phone,Full name,Memo\n010-5555-0201,CSV Import One,first\n12,Too Short,bad\n010-5555-0202,CSV Import Two,second\n";
    await page
      .locator("input[type=file]")
      .setInputFiles({ name: "customers.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Upload and continue" }).click();

    // The suggested mapping is shown and can be changed; the preview follows it.
    const mapping = page.getByTestId("import-mapping");
    await mapping.getByText("Full name", { exact: true }).waitFor();
    expect(await page.getByRole("combobox", { name: "Import column Phone as" }).inputValue()).toBe("Phone");
    await page.getByRole("combobox", { name: "Import column Full name as" }).click();
    await page.getByRole("option", { name: "Name", exact: true }).click();
    expect(await page.getByTestId("import-preview").textContent()).toContain("CSV Import One");
    await page.getByRole("textbox", { name: "Default country" }).fill("KR");
    await page.getByRole("button", { name: "Start import" }).click();

    await page.waitForURL(/\/contacts\/import\/[0-9a-f-]{36}$/);
    const result = page.getByTestId("import-result");
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toContain("2 created");
    const errors = page.getByTestId("import-errors");
    await errors.getByRole("cell", { name: "3", exact: true }).waitFor();
    expect(await errors.textContent()).toMatch(/too_short/);

    await page.getByRole("link", { name: "Go to contacts" }).click();
    await page.getByTestId("contacts-table").getByRole("link", { name: "CSV Import Two" }).waitFor();
  });

  it("builds a segment that shows a live count, and saves it", async () => {
    await menu().getByRole("link", { name: "Segments", exact: true }).click();
    await h1("Segments").waitFor();
    await page.getByRole("link", { name: "New segment" }).click();
    await page.waitForURL("**/segments/new");
    await page.getByRole("button", { name: "Add condition" }).click();
    // A new condition starts as "Country is …".
    expect(await page.getByRole("combobox", { name: "Field of condition 1" }).inputValue()).toBe("Country");
    // The server's reason for a bad value appears under the condition it names.
    await page.getByRole("textbox", { name: "Value of condition 1" }).fill("K");
    await page
      .getByTestId("condition-0")
      .getByRole("alert")
      .getByText(/ISO country code/)
      .waitFor();
    await page.getByRole("textbox", { name: "Value of condition 1" }).fill("KR");
    await page.getByTestId("condition-0").getByRole("alert").waitFor({ state: "detached" });

    const preview = page.getByTestId("segment-preview");
    const count = preview.getByTestId("segment-count");
    await count.getByText(/^[1-9]/).waitFor();

    // Narrowed to the test's own contact by name: a count of 1, and the contact in the sample.
    await page.getByRole("button", { name: "Add condition" }).click();
    await page.getByRole("combobox", { name: "Field of condition 2" }).click();
    await page.getByRole("option", { name: "Name", exact: true }).click();
    await page.getByRole("combobox", { name: "Operator of condition 2" }).click();
    await page.getByRole("option", { name: "contains", exact: true }).click();
    await page.getByRole("textbox", { name: "Value of condition 2" }).fill("browser test");
    await count.getByText("1", { exact: true }).waitFor();
    await preview.getByTestId("segment-sample").getByText("Browser Test Buyer").waitFor();

    // A third condition that nobody matches brings the count to 0; removing it brings the contact back.
    await page.getByRole("button", { name: "Add condition" }).click();
    await page.getByRole("combobox", { name: "Field of condition 3" }).click();
    await page.getByRole("option", { name: "Paid orders, last 90 days" }).click();
    await page.getByRole("combobox", { name: "Operator of condition 3" }).click();
    await page.getByRole("option", { name: "at least", exact: true }).click();
    await page.getByRole("textbox", { name: "Value of condition 3" }).fill("1000");
    await count.getByText("0", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Remove condition 3" }).click();
    await count.getByText("1", { exact: true }).waitFor();

    await page.getByRole("textbox", { name: "Name", exact: true }).fill("Korean contacts");
    await page.getByRole("button", { name: "Save segment" }).click();
    await page.waitForURL(/\/segments\/[0-9a-f-]{36}$/);
    await h1("Korean contacts").waitFor();
    await page.getByRole("link", { name: "All segments" }).click();
    await page.getByTestId("segments-table").getByRole("link", { name: "Korean contacts" }).waitFor();
  });

  it("shows the inbox: VIP first, the overdue conversation flagged, and a canned reply sent from the composer", async () => {
    await menu().getByRole("link", { name: "Inbox", exact: true }).click();
    await h1("Inbox").waitFor();
    await page.getByTestId("team-card").waitFor();
    const items = page.getByTestId("conversation-item");
    await items.first().waitFor();
    expect(await items.first().textContent()).toContain("VIP");
    expect(await page.locator('[data-testid="conversation-item"][data-overdue="true"]').count()).toBe(1);
    await items.first().click();
    await page
      .getByTestId("window-countdown")
      .getByText(/Free replies for/)
      .waitFor();
    const composer = page.getByRole("textbox", { name: "Message" });
    await composer.fill("/ho");
    await page.getByTestId("canned-suggestions").getByText("/hours").first().waitFor();
    await composer.press("Enter");
    expect(await composer.inputValue()).toContain("고객센터 운영시간은");
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await page
      .getByTestId("thread")
      .getByText(/고객센터 운영시간은/)
      .waitFor();
    // The answered conversation is no longer waiting: the list says who has it.
    await items.first().getByText("admin", { exact: false }).waitFor();
  });

  it("lists the demo auto-reply rules, tests a message, and creates, orders and switches off a rule", async () => {
    await menu().getByRole("link", { name: "Automations", exact: true }).click();
    await h1("Automations").waitFor();
    const table = page.getByTestId("rules-table");
    await table.getByText("할인 → discount code").waitFor();

    // The tester says which rule answers and shows the message it would send.
    const tester = page.getByTestId("rule-tester");
    await tester.getByRole("textbox", { name: "Message", exact: true }).fill("할인 코드 주세요");
    await tester.getByRole("button", { name: "Test", exact: true }).click();
    await tester.getByText("“할인 → discount code” answers").waitFor();
    await tester
      .getByTestId("tester-result")
      .getByText(/SPRING20/)
      .first()
      .waitFor();

    // A new rule lands last; moving it up once puts it above the last demo rule; it can be switched off.
    await page.getByRole("button", { name: "New rule" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Name", exact: true }).fill("Sizes");
    const keywords = dialog.getByLabel("Keywords", { exact: true });
    await keywords.fill("size");
    await keywords.press("Enter");
    await dialog.getByRole("textbox", { name: "Message", exact: true }).fill("We have S, M and L.");
    await dialog.getByRole("button", { name: "Save rule" }).click();
    await dialog.waitFor({ state: "detached" });
    const rows = table.getByTestId("rule-row");
    await rows.last().getByText("Sizes").waitFor();
    const count = await rows.count();
    await page.getByRole("button", { name: "Move Sizes up" }).click();
    await rows
      .nth(count - 2)
      .getByText("Sizes")
      .waitFor();
    const toggle = page.getByRole("switch", { name: "Switch Sizes on or off" });
    await toggle.click({ force: true });
    await expect.poll(() => toggle.isChecked()).toBe(false);
  });

  it("lists the demo templates with Meta's statuses", async () => {
    await menu().getByRole("link", { name: "Templates", exact: true }).click();
    await h1("Templates").waitFor();
    const table = page.getByTestId("templates-table");
    // Submitted at the first start and approved by the sandbox's review (the list looks again while one is pending).
    for (const row of ["spring_sale-ko", "spring_sale-en_US", "order_shipped-ko"]) {
      await table
        .getByTestId(`template-row-${row}`)
        .getByText("Approved", { exact: true })
        .waitFor({ timeout: 20_000 });
    }
    const draft = table.getByTestId("template-row-welcome_back-en_US");
    await draft.getByText("Draft", { exact: true }).waitFor();
    expect(await draft.textContent()).toContain("Utility");
    // The languages of spring_sale are linked from each of its rows.
    const languages = table.getByTestId("template-row-spring_sale-ko").getByLabel("Languages of spring_sale");
    expect(await languages.getByRole("link").allTextContents()).toEqual(["en_US", "ko"]);
  });

  it("opens a template with its WhatsApp preview, and shows Meta's rules and the lint live in the editor", async () => {
    const table = page.getByTestId("templates-table");
    await table.getByTestId("template-row-spring_sale-ko").getByRole("link", { name: "spring_sale" }).click();
    await page.waitForURL(/\/templates\/[0-9a-f-]{36}$/);
    await h1("spring_sale · ko").waitFor();
    const bubble = page.getByTestId("template-preview").getByTestId("whatsapp-bubble");
    expect(await bubble.getByTestId("bubble-header").textContent()).toBe("(광고) 봄맞이 세일");
    // The body with the samples in place of {{1}} and {{2}}, the footer and the quick replies.
    const body = await bubble.getByTestId("bubble-body").textContent();
    expect(body).toContain("안녕하세요 김민수님");
    expect(body).toContain("할인 코드 SPRING20를");
    expect(await bubble.getByTestId("bubble-footer").textContent()).toContain("STOP");
    expect(await bubble.getByTestId("bubble-button").allTextContents()).toEqual(["YES", "STOP"]);
    // An approved template is read-only, with its history from Meta's review.
    await page.getByText("so it cannot be edited").waitFor();
    await page.getByTestId("template-history").getByText("APPROVED", { exact: true }).first().waitFor();
    // The server renders the bubble with other values, and says which ones WhatsApp would refuse.
    await page.getByTestId("template-preview").getByText("Your values").click();
    await page.getByRole("textbox", { name: "Value for {{1}}" }).fill("Jiyoung");
    await bubble
      .getByTestId("bubble-body")
      .getByText(/안녕하세요 Jiyoung님/)
      .waitFor();
    mkdirSync(join(root, "test-artifacts"), { recursive: true });
    await page.screenshot({ path: join(root, "test-artifacts/template.png"), fullPage: true });

    // The demo draft: a promotional word in a UTILITY template draws the lint warning with its explanation.
    await page.getByRole("link", { name: "All templates" }).click();
    await table.getByTestId("template-row-welcome_back-en_US").getByRole("link", { name: "welcome_back" }).click();
    await h1("welcome_back · en_US").waitFor();
    const checks = page.getByTestId("template-checks");
    await checks.getByTestId("lint-promotional_wording").waitFor();
    await checks.getByText("Meets Meta's rules").waitFor();
    // A variable at the very end breaks a Meta rule: the reason appears under the body while typing.
    const bodyField = page.getByRole("textbox", { name: /^Body/ });
    await bodyField.fill("Welcome back {{1}}");
    await page.getByText("The body cannot end with a variable", { exact: false }).waitFor();
    await checks.getByTestId("template-invalid").waitFor();
    expect(await page.getByTestId("whatsapp-bubble").getByTestId("bubble-body").textContent()).toBe(
      "Welcome back Minsu",
    );
    await bodyField.fill("Welcome back {{1}}, your order is ready for pickup at the store.");
    await checks.getByText("Meets Meta's rules").waitFor();
  });

  it("creates a campaign in the wizard, launches it to the demo segment and follows it to completion", async () => {
    await menu().getByRole("link", { name: "Campaigns", exact: true }).click();
    await h1("Campaigns").waitFor();
    await page.getByRole("link", { name: "New campaign" }).click();
    await page.waitForURL("**/campaigns/new");

    // 1. Name, the sandbox sender (the only one, so chosen already) and an approved template.
    await page.getByRole("textbox", { name: "Name", exact: true }).fill("Browser spring sale");
    expect(await page.getByRole("combobox", { name: "Sender number" }).inputValue()).toContain("Sandbox number");
    const unusable = page.getByTestId("unusable-templates");
    expect(await unusable.textContent()).toContain("welcome_back");
    expect(await unusable.textContent()).toContain("Not submitted to Meta yet.");
    await page.getByRole("combobox", { name: "Template" }).click();
    await page.getByRole("option", { name: /spring_sale · ko/ }).click();
    await page.getByRole("button", { name: "Next", exact: true }).click();

    // 2. The demo segment, with its live count.
    await page.getByRole("combobox", { name: "Segment" }).click();
    await page.getByRole("option", { name: "VIP 고객", exact: true }).click();
    await page
      .getByTestId("segment-live-count")
      .getByText(/contacts? match now/)
      .waitFor();
    await page.getByRole("button", { name: "Next", exact: true }).click();

    // 3. Every variable needs a source: {{1}} the contact's name (with a fallback), {{2}} the same code for everyone.
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByTestId("mapping-1").getByText("Choose where this value comes from.").waitFor();
    await page.getByRole("combobox", { name: "Source of Body {{1}}" }).click();
    await page.getByRole("option", { name: "Contact field", exact: true }).click();
    await page.getByRole("textbox", { name: "Fallback of Body {{1}}" }).fill("고객");
    await page.getByRole("combobox", { name: "Source of Body {{2}}" }).click();
    await page.getByRole("option", { name: "Same for everyone", exact: true }).click();
    expect(await page.getByRole("textbox", { name: "Value of Body {{2}}" }).inputValue()).toBe("SPRING20");
    await page
      .getByTestId("mapping-preview")
      .getByTestId("whatsapp-bubble")
      .getByText(/안녕하세요 고객님/)
      .waitFor();
    await page.getByRole("button", { name: "Next", exact: true }).click();

    // 4. Now.
    await page.getByRole("radio", { name: "Now" }).waitFor();
    expect(await page.getByRole("radio", { name: "Now" }).isChecked()).toBe(true);
    // Quiet hours: off by default; switched on they start at Korea's 21:00–08:00 (left off here so the run does
    // not depend on the time of day in Seoul).
    const quiet = page.getByRole("switch", { name: "Quiet hours" });
    expect(await quiet.isChecked()).toBe(false);
    await quiet.click({ force: true });
    await expect.poll(() => page.getByRole("combobox", { name: "Quiet from" }).inputValue()).toBe("21:00");
    expect(await page.getByRole("combobox", { name: "Until" }).inputValue()).toBe("08:00");
    await quiet.click({ force: true });
    await expect.poll(() => quiet.isChecked()).toBe(false);
    await page.getByRole("button", { name: "Next", exact: true }).click();

    // 5. Review: the audience after each gate, the cost, a test send, the launch.
    const review = page.getByTestId("campaign-review");
    const willReceive = review.getByTestId("will-receive");
    await willReceive.waitFor();
    const queued = Number((await willReceive.textContent())?.replace(/\D/g, ""));
    expect(queued).toBeGreaterThan(0);
    expect(await review.getByTestId("gate-funnel").textContent()).toContain("In the segment");
    expect(await review.getByTestId("estimate-total").textContent()).toMatch(/^\$\d/);
    expect(await review.getByTestId("review-quiet-hours").textContent()).toBe("Quiet hours: None");
    // The estimate across providers' plans, cheapest first: Meta direct adds nothing to Meta's price.
    await review.getByTestId("provider-cloud_api").waitFor();
    expect(await review.getByTestId("provider-comparison").textContent()).toContain("Twilio");
    await review.getByRole("textbox", { name: "Phone number" }).fill("+82 10 5555 0101");
    await review.getByRole("button", { name: "Send test" }).click();
    await review.getByTestId("test-sent").waitFor();
    await page.screenshot({ path: join(root, "test-artifacts/campaign-review.png"), fullPage: true });
    await review.getByRole("button", { name: "Launch campaign" }).click();
    const confirm = page.getByRole("dialog", { name: "Launch the campaign?" });
    expect(await confirm.textContent()).toContain(`${queued} recipient`);
    // Launching snapshots the demo segment in the server under test while CI runs other test files beside it: the
    // page may take longer than the default 10 s to get there (seen twice in CI on 2 busy cores), not a failure.
    const stream = page.waitForRequest(/\/api\/v1\/campaigns\/[0-9a-f-]{36}\/events$/, { timeout: 30_000 });
    await confirm.getByRole("button", { name: "Launch campaign" }).click();

    // The detail page follows the sending live, over server-sent events, until every recipient is done.
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    await h1("Browser spring sale").waitFor();
    await stream; // the page follows the campaign over server-sent events
    const progress = page.getByTestId("campaign-progress");
    await page.getByTestId("campaign-status").getByText("Completed").waitFor({ timeout: 30_000 });
    await progress.getByTestId("progress-eta").getByText("done").waitFor();
    const count = async (status: string) =>
      Number((await progress.getByTestId(`count-${status}`).textContent())?.replace(/\D/g, ""));
    expect((await count("sent")) + (await count("delivered")) + (await count("read")) + (await count("failed"))).toBe(
      queued,
    );
    expect(await count("queued")).toBe(0);
    // Recipients, filtered by state.
    const recipients = page.getByTestId("campaign-recipients");
    await recipients.getByText(/^Skipped \d/).click();
    const rows = recipients.getByTestId("recipients-table").getByRole("row");
    if ((await count("skipped")) > 0) {
      await expect.poll(() => rows.count()).toBe((await count("skipped")) + 1);
      expect(await recipients.getByTestId("recipients-table").textContent()).toMatch(/Opted out|No marketing consent/);
    }
    await page.screenshot({ path: join(root, "test-artifacts/campaign.png"), fullPage: true });

    // The list shows it completed.
    await page.getByRole("link", { name: "All campaigns" }).click();
    const row = page.getByTestId("campaigns-table").getByRole("row").filter({ hasText: "Browser spring sale" });
    await row.getByText("Completed").waitFor();
  }, 90_000);

  it("switches to Korean, and keeps Korean after a reload", async () => {
    await menu().getByRole("link", { name: "Settings", exact: true }).click();
    await page.getByRole("tab", { name: "Sender numbers" }).click();
    await page.waitForURL("**/settings/senders");
    await page.getByTestId("language-switch").getByText("한국어").click();
    await menu().getByRole("link", { name: "연락처", exact: true }).waitFor();
    await menu().getByRole("link", { name: "캠페인", exact: true }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("ko");

    await page.reload();
    await menu().getByRole("link", { name: "연락처", exact: true }).waitFor();
    await h1("설정").waitFor();
    await page.getByRole("tab", { name: "발신 번호" }).waitFor();
    await page.getByRole("button", { name: "발신 번호 추가" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("ko");

    mkdirSync(join(root, "test-artifacts"), { recursive: true });
    await page.screenshot({ path: join(root, "test-artifacts/dashboard.png"), fullPage: true });
  });

  it("threw no uncaught errors in the page", () => {
    expect(pageErrors).toEqual([]);
  });
});
