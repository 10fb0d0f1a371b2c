// A merchant's webhook receiver: a plain node HTTP server that checks every delivery with the
// SDK's verifyWebhook (and client.webhooks.verify), and that tampered copies are refused.
// Prints its URL first; after EXPECTED requests, one JSON line with what it saw, and exits.
import { createServer } from "node:http";
import { WaffoPancake, verifyWebhook } from "@waffo/pancake-ts";
import { env } from "./lib.mjs";

const publicKey = env("WEBHOOK_PUBLIC_KEY");
const expected = Number(env("EXPECTED"));
const failFirst = Number(process.env.FAIL_FIRST || "0");
const sdk = new WaffoPancake({
  merchantId: "MER_2aUyqjCzEIiEcYMKj7TZtw",
  privateKey: env("MERCHANT_PRIVATE_KEY"),
  webhookPublicKey: { test: publicKey, prod: env("OTHER_PUBLIC_KEY") },
});

function outcome(fn) {
  try {
    return { ok: true, event: fn() };
  } catch (error) {
    return { ok: false, error: String(error.message) };
  }
}

function flip(text, index) {
  const c = text[index] === "A" ? "B" : "A";
  return text.slice(0, index) + c + text.slice(index + 1);
}

const seen = [];
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf-8");
    const sig = req.headers["x-waffo-signature"];
    const [tPart, vPart] = sig.split(",");
    const t = tPart.slice(2);
    const v1 = vPart.slice(3);
    seen.push({
      method: req.method,
      contentType: req.headers["content-type"],
      signature: sig,
      body,
      verified: outcome(() => verifyWebhook(body, sig, { publicKey })),
      viaClient: outcome(() => sdk.webhooks.verify(body, sig, { environment: "test" })),
      autoDetected: outcome(() => sdk.webhooks.verify(body, sig)),
      wrongEnvironment: outcome(() => sdk.webhooks.verify(body, sig, { environment: "prod" })),
      tamperedBody: outcome(() => verifyWebhook(body.replace("buyer@", "buyer2@"), sig, { publicKey })),
      tamperedSignature: outcome(() => verifyWebhook(body, `t=${t},v1=${flip(v1, 10)}`, { publicKey })),
      tamperedTimestamp: outcome(() => verifyWebhook(body, `t=${Number(t) + 1},v1=${v1}`, { publicKey })),
      staleTimestamp: outcome(() =>
        verifyWebhook(body, sig, { publicKey, toleranceMs: 1, futureToleranceMs: 0 }),
      ),
    });
    const status = seen.length <= failFirst ? 500 : 200;
    res.writeHead(status, { "Content-Type": "text/plain" });
    const done = seen.length >= expected;
    res.end(status === 200 ? "OK" : "try again", () => {
      if (done) process.stdout.write(`${JSON.stringify(seen)}\n`, () => process.exit(0));
    });
  });
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}/webhooks\n`);
});
setTimeout(() => {
  process.stdout.write(`${JSON.stringify(seen)}\n`, () => process.exit(2));
}, 90000).unref();
