// Server refusals must reach the caller as WaffoPancakeError with status and errors[].
import { caught, client, env, run } from "./lib.mjs";

run(async () => {
  const sdk = client();
  const foreignProduct = env("FOREIGN_PRODUCT_ID");

  const badAmount = await caught(
    sdk.onetimeProducts.create({
      storeId: env("STORE_ID"),
      name: "Too precise",
      prices: { USD: { amount: "29.001", taxCategory: "digital_goods" } },
    }),
  );
  const foreignUpdate = await caught(
    sdk.onetimeProducts.update({ id: foreignProduct, name: "Hijacked" }),
  );
  const foreignPublish = await caught(sdk.onetimeProducts.publish({ id: foreignProduct }));
  // The URL decides the product type: a one-time product is not a subscription product.
  const wrongType = await caught(
    sdk.subscriptionProducts.updateStatus({ id: env("OWN_PRODUCT_ID"), status: "inactive" }),
  );
  const foreignStore = await caught(
    sdk.stores.update({ id: env("FOREIGN_STORE_ID"), name: "Hijacked" }),
  );
  // Signed with a key the merchant never registered.
  const wrongKey = await caught(
    client(env("UNREGISTERED_KEY_FILE")).stores.create({ name: "Never" }),
  );

  return { badAmount, foreignUpdate, foreignPublish, wrongType, foreignStore, wrongKey };
});
