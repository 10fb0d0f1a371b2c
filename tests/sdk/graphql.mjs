// client.graphql.query and client.customer(token).graphql.query against a live server: the
// guide's queries, another merchant's order by ID, and the refusals (mutation, depth).
import { client, env, run } from "./lib.mjs";

const ORDER_DETAIL = `query ($id: ID!) {
  onetimeOrder(id: $id) {
    id buyerEmail currency status testMode
    priceSnapshot { currency subtotal taxAmount total taxCategory }
    billingDetail { country isBusiness }
    onetimeProduct { id name }
    payments { id status cardInfo { brand last4 } snapshotAmountDetails { total } createdAt }
    createdAt
  }
}`;

run(async () => {
  const sdk = client();
  const storeId = env("STORE_ID");

  const overview = await sdk.graphql.query({
    query: `query Dashboard($storeId: String!) {
      stores { id name slug status supportEmail createdAt }
      store(id: $storeId) { name slug status }
      onetimeProducts(storeId: $storeId, filter: { status: { eq: "active" } }) {
        id name status prices { currency priceInfo { amount taxCategory } } hasProdVersion
      }
      onetimeOrders(storeId: $storeId, limit: 5) { id buyerEmail priceSnapshot { currency total } createdAt }
      onetimeOrdersCount(storeId: $storeId)
      subscriptionOrdersCount(storeId: $storeId)
      onetimeProductsCount(storeId: $storeId)
      payments(filter: { status: { eq: "succeeded" } }) { id orderId status }
      paymentsCount
    }`,
    variables: { storeId },
  });
  const detail = await sdk.graphql.query({ query: ORDER_DETAIL, variables: { id: env("ORDER_ID") } });
  const stranger = await sdk.graphql.query({
    query: ORDER_DETAIL,
    variables: { id: env("STRANGER_ORDER_ID") },
  });
  const merchant = await sdk.graphql.query({
    query: `query ($id: ID!) { merchant(id: $id) { id storeMerchants { role store { id } } } }`,
    variables: { id: env("MERCHANT_ID") },
  });
  const mutation = await sdk.graphql.query({ query: `mutation { deleteStore(id: "x") { id } }` });
  const deep = await sdk.graphql.query({
    query: `{ payments { onetimeOrder { payments { onetimeOrder { payments { onetimeOrder {
      payments { onetimeOrder { payments { onetimeOrder { payments { onetimeOrder { id } } } } } } } } } } } } }`,
  });

  const { token } = await sdk.auth.issueSessionToken({ storeId, buyerIdentity: "buyer-1" });
  const own = await sdk
    .customer(token, { environment: "test" })
    .graphql.query({ query: `query { orders { id status createdAt } }` });
  const other = await sdk.auth.issueSessionToken({ storeId, buyerIdentity: "buyer-2" });
  const otherBuyer = await sdk
    .customer(other.token, { environment: "test" })
    .graphql.query({ query: `query { orders { id } }` });
  const prodBuyer = await sdk
    .customer(token, { environment: "prod" })
    .graphql.query({ query: `query { orders { id } }` });

  return { overview, detail, stranger, merchant, mutation, deep, own, otherBuyer, prodBuyer };
});
