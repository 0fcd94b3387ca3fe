// Unit: Meta's error table and ProviderError verdicts. real: everything.
import { describe, expect, test } from "vitest";
import { errorFromBody } from "../../src/whatsapp/cloud-api/http.js";
import { describeError, META_ERRORS } from "../../src/whatsapp/errors.js";
import { ProviderError } from "../../src/whatsapp/provider-error.js";

describe("error table", () => {
  test("holds every code of whatsapp-platform.md §2 with a meaning", () => {
    const documented = [
      0, 190, 3, 10, 200, 4, 80007, 100, 130429, 131056, 131048, 131049, 131050, 131047, 131026, 131021, 131051, 131052,
      131053, 131000, 131016, 1, 2, 131005, 131008, 131009, 131031, 131042, 132000, 132001, 132005, 132007, 132012,
      132015, 132016, 133010, 368,
    ];
    for (const code of documented) {
      const row = META_ERRORS.get(code);
      expect(row, `code ${code}`).toBeDefined();
      expect(row?.meaning.length).toBeGreaterThan(10);
    }
  });

  test("classifies throughput and pair limits as retryable backoffs, auth as stop-sender", () => {
    expect(describeError(130429)).toMatchObject({ action: "backoff", retryable: true });
    expect(describeError(131056)).toMatchObject({ action: "retry_recipient_later", retryable: true });
    expect(describeError(190)).toMatchObject({ action: "stop_sender", retryable: false });
    expect(describeError(131047)).toMatchObject({ action: "use_template", retryable: false });
    expect(describeError(131050)).toMatchObject({ action: "opt_out" });
    expect(describeError(131026)).toMatchObject({ action: "mark_number" });
  });

  test("treats an unknown code on a 5xx answer as retryable and on a 400 as a request to fix", () => {
    expect(describeError(999999, 503)).toMatchObject({ retryable: true, action: "retry" });
    expect(describeError(999999, 400)).toMatchObject({ retryable: false, action: "fix_request" });
    expect(describeError(250)).toMatchObject({ action: "stop_sender" });
  });
});

describe("ProviderError from a Graph answer", () => {
  test("carries code, subcode, fbtrace_id, details and the verdict", () => {
    const e = errorFromBody(
      400,
      {
        error: {
          message: "(#131047) Re-engagement message",
          type: "OAuthException",
          code: 131047,
          error_subcode: 2494010,
          error_data: { messaging_product: "whatsapp", details: "More than 24 hours have passed" },
          fbtrace_id: "AbCdEf123",
        },
      },
      "",
    );
    expect(e).toBeInstanceOf(ProviderError);
    expect(e).toMatchObject({
      code: 131047,
      subcode: 2494010,
      fbtraceId: "AbCdEf123",
      httpStatus: 400,
      details: "More than 24 hours have passed",
      retryable: false,
      action: "use_template",
      origin: "meta",
    });
  });

  test("reads error_data given as a plain string (template management)", () => {
    const e = errorFromBody(400, { error: { code: 100, message: "x", error_data: "Invalid category" } }, "");
    expect(e.details).toBe("Invalid category");
  });

  test("classifies a non-Graph 502 from a proxy as a retryable service error", () => {
    const e = errorFromBody(502, null, "<html>bad gateway</html>");
    expect(e).toMatchObject({ code: 2, retryable: true, action: "retry", httpStatus: 502 });
  });

  test("lets is_transient turn a non-retryable code into a retry", () => {
    const e = errorFromBody(400, { error: { code: 100, message: "x", is_transient: true } }, "");
    expect(e).toMatchObject({ retryable: true, action: "retry" });
  });
});
