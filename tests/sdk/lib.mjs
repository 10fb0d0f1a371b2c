// Shared by the interop scripts: a client built the way a merchant builds it, and the
// one-JSON-object-on-stdout protocol that tests/test_sdk_interop.py reads.
import { readFileSync } from "node:fs";
import { WaffoPancake, WaffoPancakeError } from "@waffo/pancake-ts";

export function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export function client(privateKeyFile = env("PRIVATE_KEY_FILE")) {
  return new WaffoPancake({
    merchantId: env("MERCHANT_ID"),
    privateKey: readFileSync(privateKeyFile, "utf8"),
    baseUrl: env("BASE_URL"),
  });
}

// A call that is expected to fail: its WaffoPancakeError as {status, errors}.
// Anything else thrown is unexpected and ends the script; a success is reported as such.
export async function caught(promise) {
  try {
    return { resolved: await promise };
  } catch (error) {
    if (error instanceof WaffoPancakeError) {
      return { status: error.status, errors: error.errors, message: error.message };
    }
    throw error;
  }
}

export function run(scenario) {
  scenario().then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error) => {
      console.error(error);
      if (error instanceof WaffoPancakeError) console.error(JSON.stringify(error.errors));
      process.exitCode = 1;
    },
  );
}

// The SDK signs with the current second, and the server refuses a signature it has seen
// (a replay). The same call made twice within one second is the same signed request, so a
// script that means a second, new request waits for the next second first.
export async function nextSecond() {
  await new Promise((resolve) => setTimeout(resolve, 1005 - (Date.now() % 1000)));
}
