// Cancelling and reactivating subscriptions: the merchant (client.orders.cancelSubscription)
// and the buyer (client.customer(token).cancelSubscription / .reactivateSubscription).
import { caught, client, env, run } from "./lib.mjs";

run(async () => {
  const sdk = client();
  const first = env("FIRST_ORDER_ID");
  const second = env("SECOND_ORDER_ID");
  const { token } = await sdk.auth.issueSessionToken({
    storeId: env("STORE_ID"),
    buyerIdentity: "buyer-1",
  });
  const customer = sdk.customer(token, { environment: "test" });
  const stranger = await sdk.auth.issueSessionToken({
    storeId: env("STORE_ID"),
    buyerIdentity: "user-42",
  });

  const merchantCancel = await sdk.orders.cancelSubscription({ orderId: first });
  const buyerCancel = await customer.cancelSubscription({ orderId: second });
  const buyerReactivate = await customer.reactivateSubscription({ orderId: second });
  const reactivateActive = await caught(customer.reactivateSubscription({ orderId: second }));
  const strangerCancel = await caught(
    sdk.customer(stranger.token, { environment: "test" }).cancelSubscription({ orderId: second }),
  );
  return { merchantCancel, buyerCancel, buyerReactivate, reactivateActive, strangerCancel };
});
