// { idempotencyKey }: same key + same body replays; same key + another body is a 422.
import { caught, client, env, nextSecond, run } from "./lib.mjs";

run(async () => {
  const sdk = client();
  const idempotencyKey = env("IDEMPOTENCY_KEY");

  const first = await sdk.stores.create({ name: "Replay Store" }, { idempotencyKey });
  const replayed = await sdk.stores.create({ name: "Replay Store" }, { idempotencyKey });
  const reused = await caught(sdk.stores.create({ name: "Other Store" }, { idempotencyKey }));
  // Without a key the same body is a new request (in another second: within the first one
  // it would carry the first request's signature, a replay).
  await nextSecond();
  const unkeyed = await sdk.stores.create({ name: "Replay Store" });

  return { first, replayed, reused, unkeyed };
});
