// Checkout and token refusals reach the caller as WaffoPancakeError.
import { caught, client, env, nextSecond, run } from "./lib.mjs";

run(async () => {
  const sdk = client();
  const productId = env("PRODUCT_ID");

  const unsupportedCurrency = await caught(
    sdk.checkout.createSession({ productId, currency: "GBP" }),
  );
  const foreignProductSession = await caught(
    sdk.checkout.createSession({ productId: env("FOREIGN_PRODUCT_ID"), currency: "USD" }),
  );
  const badBilling = await caught(
    sdk.checkout.createSession({
      productId,
      currency: "USD",
      billingDetail: { country: "US", isBusiness: false },
    }),
  );
  const foreignStoreToken = await caught(
    sdk.auth.issueSessionToken({ storeId: env("FOREIGN_STORE_ID"), buyerIdentity: "x@y.co" }),
  );
  const foreignProductToken = await caught(
    sdk.auth.issueSessionToken({
      productId: env("FOREIGN_PRODUCT_ID"),
      buyerIdentity: "x@y.co",
    }),
  );
  const blankExternalId = await caught(
    sdk.checkout.createSession({ productId, currency: "USD", orderMerchantExternalId: "   " }),
  );
  const inactiveProduct = await caught(
    sdk.checkout.createSession({ productId: env("INACTIVE_PRODUCT_ID"), currency: "USD" }),
  );
  const inactiveStoreSession = await caught(
    sdk.checkout.createSession({ productId: env("INACTIVE_STORE_PRODUCT_ID"), currency: "USD" }),
  );
  const inactiveStoreToken = await caught(
    sdk.auth.issueSessionToken({ storeId: env("INACTIVE_STORE_ID"), buyerIdentity: "x@y.co" }),
  );
  // authenticated.create fails as a whole when either of its two calls is refused. Its
  // session call sends the body of the first call above: in the same second, that would
  // be the same signed request (a replay), so it waits for the next.
  await nextSecond();
  const authenticatedUnsupported = await caught(
    sdk.checkout.authenticated.create({ productId, currency: "GBP", buyerIdentity: "x@y.co" }),
  );

  return {
    unsupportedCurrency,
    foreignProductSession,
    badBilling,
    foreignStoreToken,
    foreignProductToken,
    authenticatedUnsupported,
    blankExternalId,
    inactiveProduct,
    inactiveStoreSession,
    inactiveStoreToken,
  };
});
