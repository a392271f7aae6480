// Runs bench/harness/load.mjs (the HTTP load generator) as a second Node process, so the load
// comes over loopback from outside the measured processes.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./lib.mjs";

/** The load generator, as a second Node process: resolves its one JSON result line. */
export function load(options) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, "bench", "harness", "load.mjs"), JSON.stringify(options)],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    const timer = setTimeout(
      () => child.kill("SIGKILL"),
      (options.durationMs + (options.warmupMs ?? 0)) * 3 + 30_000,
    );
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").at(-1)));
      } catch (e) {
        reject(e);
      }
    });
  });
}
