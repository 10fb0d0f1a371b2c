// client.checkout.createSession / authenticated.create / anonymous.create and
// client.auth.issueSessionToken for PRODUCT_ID (sold in USD and EUR) of STORE_ID.
import { client, env, run } from "./lib.mjs";

run(async () => {
  const sdk = client();
  const productId = env("PRODUCT_ID");

  // Low level, with everything a merchant may lock into a session.
  const created = await sdk.checkout.createSession({
    productId,
    currency: "EUR",
    buyerEmail: "  Foo@Bar.COM ",
    billingDetail: { country: "US", isBusiness: false, state: "CA", postcode: "94107" },
    successUrl: "https://example.com/thank-you",
    darkMode: true,
    metadata: { campaign: "spring", seats: 3, nested: { ok: true } },
    orderMerchantExternalId: "  ORDER-2026-00891 ",
  });

  // Token + session in one call; the token rides in the URL fragment.
  const authenticated = await sdk.checkout.authenticated.create({
    productId,
    currency: "USD",
    buyerIdentity: "  Buyer@Example.COM ",
    buyerEmail: "buyer@example.com",
    expiresInSeconds: 600,
  });

  // No identity; the merchant overrides the price for this one session.
  const anonymous = await sdk.checkout.anonymous.create({
    productId,
    currency: "USD",
    priceSnapshot: { amount: "4.99", taxCategory: "saas" },
    orderMerchantExternalId: "ORDER-ANON-1",
    language: "pt-BR",
    includePaymentMethods: ["card", "applepay"],
  });

  const tokenByStore = await sdk.auth.issueSessionToken({
    storeId: env("STORE_ID"),
    buyerIdentity: "Customer@Example.com",
  });
  const tokenByProduct = await sdk.auth.issueSessionToken({
    productId,
    buyerIdentity: "user-42",
  });

  return { created, authenticated, anonymous, tokenByStore, tokenByProduct };
});
