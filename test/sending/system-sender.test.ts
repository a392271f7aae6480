import { describe, expect, it } from "vitest";
import { systemSender } from "../../src/config";
import { isValidEmail } from "../../src/lib/validation";

describe("the platform's own sender", () => {
  it("is SYSTEM_FROM_EMAIL, else noreply@ the public host, and always a valid address", () => {
    const of = (base: string, from = "") => systemSender({ PUBLIC_BASE_URL: base, SYSTEM_FROM_EMAIL: from });
    expect(of("https://mail.example.com", "hello@atelier.example")).toBe("hello@atelier.example");
    expect(of("https://mail.example.com")).toBe("noreply@mail.example.com");
    // localhost (npm start) and bare IPs make no valid address: a reserved local one instead.
    expect(of("http://localhost:8787")).toBe("noreply@edge-mail.localhost");
    expect(of("http://127.0.0.1:8787")).toBe("noreply@edge-mail.localhost");
    for (const base of ["https://mail.example.com", "http://localhost:8787", "http://127.0.0.1:9000"])
      expect(isValidEmail(of(base)), base).toBe(true);
    expect(isValidEmail("noreply@localhost")).toBe(false);
  });
});
