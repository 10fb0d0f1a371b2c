// A buyer with a session token places a one-time order the way the hosted checkout page does
// (fetch with Bearer + X-Environment), then manages it through client.customer(token).
import { caught, client, env, run } from "./lib.mjs";

async function createOrder(token, body) {
  const response = await fetch(`${env("BASE_URL")}/v1/actions/onetime-order/create-order`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${token}`,
      "X-Environment": "test",
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

run(async () => {
  const sdk = client();
  const productId = env("PRODUCT_ID");

  const { token } = await sdk.auth.issueSessionToken({
    storeId: env("STORE_ID"),
    buyerIdentity: "Customer@Example.com",
  });
  const session = await sdk.checkout.createSession({ productId, currency: "USD" });
  const placed = await createOrder(token, {
    checkoutSessionId: session.sessionId,
    billingDetail: { country: "DE", isBusiness: false, postcode: "10115" },
    buyerEmail: " Customer@Example.COM ",
  });
  const orderId = placed.body.data.orderId;

  // Another buyer of the same store, and the right buyer in the wrong environment.
  const stranger = await sdk.auth.issueSessionToken({ productId, buyerIdentity: "user-42" });
  const strangerCancel = await caught(
    sdk.customer(stranger.token, { environment: "test" }).cancelOnetimeOrder({ orderId }),
  );
  const prodCancel = await caught(
    sdk.customer(token, { environment: "prod" }).cancelOnetimeOrder({ orderId }),
  );

  const customer = sdk.customer(token, { environment: "test" });
  const canceled = await customer.cancelOnetimeOrder({ orderId });
  const canceledAgain = await customer.cancelOnetimeOrder({ orderId });
  // The session's order is closed now: placing it again is refused.
  const placeAfterCancel = await createOrder(token, {
    checkoutSessionId: session.sessionId,
    billingDetail: { country: "DE", isBusiness: false },
    buyerEmail: "customer@example.com",
  });

  // Authenticated checkout: the token from the checkout URL places the order.
  const authenticated = await sdk.checkout.authenticated.create({
    productId,
    currency: "EUR",
    buyerIdentity: "Buyer@Example.COM",
  });
  const fragmentToken = new URL(authenticated.checkoutUrl).hash.replace(/^#token=/, "");
  const authenticatedOrder = await createOrder(fragmentToken, {
    checkoutSessionId: authenticated.sessionId,
    billingDetail: { country: "FR", isBusiness: false },
    buyerEmail: "buyer@example.com",
  });

  return {
    sessionId: session.sessionId,
    placed,
    strangerCancel,
    prodCancel,
    canceled,
    canceledAgain,
    placeAfterCancel,
    authenticated,
    authenticatedOrder,
  };
});
