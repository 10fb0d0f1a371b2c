// Subscription product groups through the SDK: create, update (rules merged, productIds
// replaced), publish (test → prod, upsert), delete (hard), and a one-time product refused.
import { caught, client, env, nextSecond, run } from "./lib.mjs";

run(async () => {
  const sdk = client();
  const storeId = env("STORE_ID");
  const [basic, pro, team] = env("PLAN_IDS").split(",");
  const groups = sdk.subscriptionProductGroups;

  const { group: created } = await groups.create({
    storeId,
    name: "Pro Plans",
    description: "All Pro tier plans",
    rules: { sharedTrial: true },
    productIds: [basic, pro],
  });
  const { group: opened } = await groups.update({
    id: created.id,
    rules: { selfServicePlanChange: true },
  });
  const { group: replaced } = await groups.update({ id: created.id, productIds: [pro, team] });
  const { group: published } = await groups.publish({ id: created.id });
  await nextSecond(); // the same signed call again is a new request only in the next second
  const { group: republished } = await groups.publish({ id: created.id });
  const onetime = await caught(
    groups.create({ storeId, name: "Mixed", productIds: [env("ONETIME_ID")] }),
  );
  const { group: deleted } = await groups.delete({ id: created.id });
  await nextSecond();
  const deletedAgain = await caught(groups.delete({ id: created.id }));
  return { created, opened, replaced, published, republished, onetime, deleted, deletedAgain };
});
