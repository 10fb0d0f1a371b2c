// client.webhooks.add / update / remove against the live server, with its refusals.
import { caught, client, env, nextSecond, run } from "./lib.mjs";

run(async () => {
  const sdk = client();
  const storeId = env("STORE_ID");
  const added = await sdk.webhooks.add({
    storeId,
    channel: "http",
    url: env("RECEIVER_URL"),
    events: ["order.completed"],
    testMode: true,
  });
  const spare = await sdk.webhooks.add({
    storeId,
    channel: "slack",
    url: "http://127.0.0.1:9/slack",
    events: ["order.completed"],
    testMode: false,
  });
  const updated = await sdk.webhooks.update({
    id: spare.webhook.id,
    events: ["order.completed", "refund.succeeded"],
    secret: "rotated",
  });
  const removed = await sdk.webhooks.remove({ id: spare.webhook.id });
  const unknownEvent = await caught(
    sdk.webhooks.add({ storeId, channel: "http", url: "http://127.0.0.1:9/", events: ["nope"], testMode: true }),
  );
  const badChannel = await caught(
    sdk.webhooks.add({ storeId, channel: "fax", url: "http://127.0.0.1:9/", events: ["order.completed"], testMode: true }),
  );
  const otherStore = await caught(
    sdk.webhooks.add({ storeId: env("OTHER_STORE_ID"), channel: "http", url: "http://127.0.0.1:9/", events: ["order.completed"], testMode: true }),
  );
  await nextSecond(); // the same call again is a new request only in another second
  const removedAgain = await caught(sdk.webhooks.remove({ id: spare.webhook.id }));
  return { added, updated, removed, unknownEvent, badChannel, otherStore, removedAgain };
});
