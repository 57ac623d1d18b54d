import { describe, expect, it } from "vitest";
import { parseDotenv } from "./vault-client.mjs";

describe("dotenv import parsing", () => {
  it("reads KEY=value lines, quotes, export and comments, and flags the rest by line", () => {
    const text = [
      "# comment",
      "",
      "PLAIN=value with spaces # trailing comment",
      'export QUOTED="a \\"b\\"\\nc"',
      "SINGLE='$literal #not a comment'",
      "not a pair",
      "lower-case=x",
      "EMPTY=",
    ].join("\n");
    expect(parseDotenv(text)).toEqual([
      { line: 3, name: "PLAIN", value: "value with spaces", problem: null },
      { line: 4, name: "QUOTED", value: 'a "b"\nc', problem: null },
      { line: 5, name: "SINGLE", value: "$literal #not a comment", problem: null },
      { line: 6, name: null, value: null, problem: "not KEY=value" },
      { line: 7, name: "lower-case", value: "x", problem: null },
      { line: 8, name: "EMPTY", value: "", problem: null },
    ]);
  });
});

describe("attack: a consumer's environment that would run code in the CI job", () => {
  it("vault run refuses denied variables even when the vault server sends them, and runs nothing", async () => {
    const { createServer } = await import("node:http");
    const { existsSync, mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { main } = await import("./vault-client.mjs");
    const marker = join(mkdtempSync(join(tmpdir(), "vault-run-")), "ran");
    // A vault that does not enforce the rule (an old or compromised server): the client checks again.
    const server = createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      const variables = [{ name: "API_TOKEN", value: "x" }, { name: "NODE_OPTIONS", value: "--require=/tmp/evil.js" }];
      res.end(JSON.stringify({ data: { resolveEnvironment: { variables, conflicts: [] } } }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const saved = { url: process.env.VAULT_URL, token: process.env.VAULT_TOKEN };
    process.env.VAULT_URL = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    process.env.VAULT_TOKEN = "vlt_test";
    try {
      const run = main(["run", "--consumer", "job", "--", process.execPath, "-e", `require("fs").writeFileSync(${JSON.stringify(marker)}, "ran")`]);
      await expect(run).rejects.toThrow(/refusing to run with job's environment: NODE_OPTIONS cannot be set by a consumer/);
      expect(existsSync(marker)).toBe(false);
    } finally {
      process.env.VAULT_URL = saved.url;
      process.env.VAULT_TOKEN = saved.token;
      server.close();
    }
  });

  it("vault run --secret refuses a denied variable the server sends for a chosen secret, and runs nothing", async () => {
    const { createServer } = await import("node:http");
    const { existsSync, mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { main } = await import("./vault-client.mjs");
    const marker = join(mkdtempSync(join(tmpdir(), "vault-run-")), "ran");
    const asked: string[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        asked.push(JSON.parse(body).query);
        res.setHeader("content-type", "application/json");
        const variables = [{ name: "OPENAI_API_KEY", value: "x" }, { name: "LD_PRELOAD", value: "/tmp/evil.so" }];
        res.end(JSON.stringify({ data: { resolveSecrets: { variables, conflicts: [] } } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const saved = { url: process.env.VAULT_URL, token: process.env.VAULT_TOKEN };
    process.env.VAULT_URL = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    process.env.VAULT_TOKEN = "vlt_test";
    try {
      const run = main(["run", "--consumer", "agent", "--secret", "OPENAI_API_KEY", "--", process.execPath, "-e", `require("fs").writeFileSync(${JSON.stringify(marker)}, "ran")`]);
      await expect(run).rejects.toThrow(/refusing to run with the environment of agent, OPENAI_API_KEY: LD_PRELOAD cannot be set by a consumer/);
      expect(existsSync(marker)).toBe(false);
      expect(asked[0]).toContain("resolveSecrets(");
      await expect(main(["run", "--", "true"])).rejects.toThrow(/name what to resolve/);
    } finally {
      process.env.VAULT_URL = saved.url;
      process.env.VAULT_TOKEN = saved.token;
      server.close();
    }
  });

  it("vault export --format dotenv quotes values so that sourcing the file runs nothing and keeps them", async () => {
    const { spawnSync } = await import("node:child_process");
    const { existsSync, mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { dotenvQuote } = await import("./vault-client.mjs");
    const dir = mkdtempSync(join(tmpdir(), "vault-export-"));
    const pwned = join(dir, "pwned");
    const values = {
      SUBSHELL: `$(touch ${pwned})`,
      BACKTICKS: `\`touch ${pwned}\``,
      QUOTES: `it's a "quote"`,
      DOLLAR: "$HOME and ${PATH}",
      BACKSLASH: "back\\slash\\",
      MULTILINE: `line one\n$(touch ${pwned}) \`touch ${pwned}\` "q" \\`,
    };
    const file = join(dir, ".env");
    writeFileSync(file, Object.entries(values).map(([k, v]) => `${k}=${dotenvQuote(v)}`).join("\n") + "\n");
    const names = Object.keys(values);
    const sourced = spawnSync("bash", ["-c", `. ${file}; printf '%s\\0' ${names.map((n) => `"$${n}"`).join(" ")}`], { encoding: "utf8" });
    expect(sourced.status).toBe(0);
    expect(existsSync(pwned)).toBe(false);
    const got = sourced.stdout.split("\0").slice(0, -1);
    names.forEach((n, i) => {
      const v = values[n as keyof typeof values];
      // The shell keeps a line break written as \n as those two characters; nothing is expanded.
      expect(got[i], n).toBe(n === "MULTILINE" ? v.replace(/\n/g, "\\n") : v);
    });
    // And the vault's own import (and dotenv parsers) read every value back exactly.
    const { parseDotenv } = await import("./vault-client.mjs");
    expect(Object.fromEntries(parseDotenv(Object.entries(values).map(([k, v]) => `${k}=${dotenvQuote(v)}`).join("\n")).map((e) => [e.name, e.value]))).toEqual(values);
  });
});
