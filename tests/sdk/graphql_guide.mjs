// The guide's queries, each as the test names it: QUERIES is a JSON object of
// name -> {query, variables, buyer}. With `buyer` the query goes through
// client.customer(token).graphql.query for that buyer of STORE_ID; else client.graphql.query.
import { client, env, run } from "./lib.mjs";

run(async () => {
  const sdk = client();
  const results = {};
  for (const [name, { query, variables, buyer }] of Object.entries(JSON.parse(env("QUERIES")))) {
    if (buyer) {
      const { token } = await sdk.auth.issueSessionToken({ storeId: env("STORE_ID"), buyerIdentity: buyer });
      results[name] = await sdk.customer(token, { environment: "test" }).graphql.query({ query, variables });
    } else {
      results[name] = await sdk.graphql.query({ query, variables });
    }
  }
  return results;
});
