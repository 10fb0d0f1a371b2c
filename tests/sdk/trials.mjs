// Trials through the SDK. PHASE=create: client.checkout.createSession with withTrial true,
// false and left out for PRODUCT_ID (a subscription with a trial). PHASE=manage: the buyer
// cancels ORDER_ID during its trial and undoes it (customer.cancelSubscription /
// reactivateSubscription).
import { client, env, run } from "./lib.mjs";

run(async () => {
  const sdk = client();
  if (env("PHASE") === "create") {
    const productId = env("PRODUCT_ID");
    const session = (extra) =>
      sdk.checkout.createSession({
        productId,
        currency: "USD",
        buyerEmail: "buyer@example.com",
        ...extra,
      });
    const withTrial = await session({ withTrial: true });
    const withoutTrial = await session({ withTrial: false });
    const productDefault = await session({});
    return { withTrial, withoutTrial, productDefault };
  }
  const { token } = await sdk.auth.issueSessionToken({
    storeId: env("STORE_ID"),
    buyerIdentity: "buyer-1",
  });
  const customer = sdk.customer(token, { environment: "test" });
  const orderId = env("ORDER_ID");
  const canceled = await customer.cancelSubscription({ orderId });
  const reactivated = await customer.reactivateSubscription({ orderId });
  return { canceled, reactivated };
});
