// Plan change sessions through the SDK's three methods: the merchant's
// checkout.createPlanChangeSession and checkout.authenticated.createPlanChange, and the
// buyer's customer.createPlanChangeSession (with the customer path's 403s).
import { ChangeTiming } from "@waffo/pancake-ts";
import { caught, client, env, nextSecond, run } from "./lib.mjs";

run(async () => {
  const sdk = client();
  const originOrderId = env("ORDER_ID");
  const pro = env("PRO_ID");
  const outsider = env("OUTSIDER_ID");
  const storeId = env("STORE_ID");

  const merchant = await sdk.checkout.createPlanChangeSession({
    originOrderId,
    productId: pro,
    currency: "USD",
    changeTiming: ChangeTiming.Immediate,
    changeCreditAmount: "1.00",
  });
  const authenticated = await sdk.checkout.authenticated.createPlanChange({
    originOrderId,
    productId: pro,
    currency: "USD",
    buyerIdentity: "buyer-1",
    changeTiming: ChangeTiming.NextPeriod,
  });
  const bothAmounts = await caught(
    sdk.checkout.createPlanChangeSession({
      originOrderId,
      productId: pro,
      currency: "USD",
      changeAmount: "1.00",
      changeCreditAmount: "1.00",
    }),
  );

  const { token } = await sdk.auth.issueSessionToken({ storeId, buyerIdentity: "buyer-1" });
  const customer = sdk.customer(token, { environment: "test" });
  const own = await customer.createPlanChangeSession({ originOrderId, productId: pro, currency: "USD" });
  const notInGroup = await caught(
    customer.createPlanChangeSession({ originOrderId, productId: outsider, currency: "USD" }),
  );
  await nextSecond();
  const stranger = await sdk.auth.issueSessionToken({ storeId, buyerIdentity: "user-42" });
  const notTheirs = await caught(
    sdk
      .customer(stranger.token, { environment: "test" })
      .createPlanChangeSession({ originOrderId, productId: pro, currency: "USD" }),
  );
  return { merchant, authenticated, bothAmounts, own, notInGroup, notTheirs };
});
