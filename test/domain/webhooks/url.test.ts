import { describe, expect, it } from "vitest";
import { isWebhookEventType } from "../../../src/domain/webhooks/events.js";
import { webhookUrlIssues } from "../../../src/domain/webhooks/url.js";

// Plain values only.
describe("webhook endpoint URLs", () => {
  it("accepts https and http URLs with a host, a port, a path and a query", () => {
    expect(webhookUrlIssues("https://crm.example.com/hooks/herald?tenant=7")).toEqual([]);
    expect(webhookUrlIssues("http://10.0.0.5:8080/herald")).toEqual([]);
  });

  it("names the field and the reason for everything else", () => {
    expect(webhookUrlIssues("crm.example.com/hooks")).toEqual([{ path: "url", message: "not an absolute URL" }]);
    expect(webhookUrlIssues("ftp://crm.example.com/")).toEqual([{ path: "url", message: "must be http or https" }]);
    expect(webhookUrlIssues("https://bot:hunter2@crm.example.com/")).toEqual([
      { path: "url", message: "must not contain a user name or password" },
    ]);
    expect(webhookUrlIssues("https://crm.example.com/#x")).toEqual([
      { path: "url", message: "must not contain a #fragment" },
    ]);
    expect(webhookUrlIssues(`https://crm.example.com/${"a".repeat(2000)}`)[0]?.message).toBe("longer than 2000");
  });

  it("knows the subscribable event types, and the test event is not one of them", () => {
    expect(isWebhookEventType("message.status_changed")).toBe(true);
    expect(isWebhookEventType("webhook.test")).toBe(false);
    expect(isWebhookEventType("contact.deleted")).toBe(false);
  });
});
