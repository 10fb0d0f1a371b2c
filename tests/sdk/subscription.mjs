// client.subscriptionProducts.create / update / publish / updateStatus on STORE_ID.
import { client, env, run } from "./lib.mjs";

run(async () => {
  const sdk = client();
  const products = sdk.subscriptionProducts;

  const created = await products.create({
    storeId: env("STORE_ID"),
    name: "Pro Plan",
    billingPeriod: "monthly",
    metadata: { trialDays: 7 },
    prices: {
      USD: { amount: "9.99", taxCategory: "saas", trialAmount: "1.00" },
      EUR: { amount: "9.00", taxCategory: "saas", taxIncluded: true },
    },
  });
  const id = created.product.id;

  const updated = await products.update({
    id,
    name: "Pro Plan (yearly)",
    billingPeriod: "yearly",
    prices: { USD: { amount: "99.00", taxCategory: "saas" } },
  });
  const published = await products.publish({ id });
  const deactivated = await products.updateStatus({ id, status: "inactive" });
  const reactivated = await products.updateStatus({ id, status: "active" });

  return { created, updated, published, deactivated, reactivated };
});
