// client.storeMerchants.add / updateRole / remove, and the role matrix: the same calls made
// by a colleague (its own merchant ID and key) who is a member, then an admin, of a store
// the merchant owns, and then the owner of a store of its own.
import { readFileSync } from "node:fs";
import { WaffoPancake } from "@waffo/pancake-ts";
import { caught, client, env, nextSecond, run } from "./lib.mjs";

const PRICES = { USD: { amount: "9.00", taxCategory: "digital_goods" } };

// [name, call]; in this order (deleting the store ends the row, so it comes last).
const MATRIX = [
  ["stores.update", (sdk, s) => sdk.stores.update({ id: s.storeId, name: `Renamed ${s.role}` })],
  [
    "onetimeProducts.create",
    (sdk, s) => sdk.onetimeProducts.create({ storeId: s.storeId, name: "Book", prices: PRICES }),
  ],
  [
    "onetimeProducts.update",
    (sdk, s) => sdk.onetimeProducts.update({ id: s.productId, name: `Book ${s.role}` }),
  ],
  [
    "webhooks.add",
    (sdk, s) =>
      sdk.webhooks.add({
        storeId: s.storeId,
        channel: "http",
        url: "http://127.0.0.1:9/hooks",
        events: ["order.completed"],
        testMode: true,
      }),
  ],
  [
    "checkout.createSession",
    (sdk, s) => sdk.checkout.createSession({ productId: s.productId, currency: "USD" }),
  ],
  [
    "auth.issueSessionToken",
    (sdk, s) => sdk.auth.issueSessionToken({ storeId: s.storeId, buyerIdentity: "buyer@example.com" }),
  ],
  [
    "graphql.query",
    (sdk, s) =>
      sdk.graphql.query({
        query: "query ($id: ID!) { store(id: $id) { id } }",
        variables: { id: s.storeId },
      }),
  ],
  [
    "storeMerchants.add",
    (sdk, s) => sdk.storeMerchants.add({ storeId: s.storeId, email: env("THIRD_EMAIL"), role: "member" }),
  ],
  [
    "storeMerchants.updateRole",
    (sdk, s) =>
      sdk.storeMerchants.updateRole({ storeId: s.storeId, merchantId: env("THIRD_ID"), role: "admin" }),
  ],
  [
    "storeMerchants.remove",
    (sdk, s) => sdk.storeMerchants.remove({ storeId: s.storeId, merchantId: env("THIRD_ID") }),
  ],
  ["stores.delete", (sdk, s) => sdk.stores.delete({ id: s.storeId })],
];

async function outcome(promise) {
  const result = await caught(promise);
  return "resolved" in result ? "ok" : result.status;
}

run(async () => {
  const owner = client();
  const colleague = new WaffoPancake({
    merchantId: env("COLLEAGUE_ID"),
    privateKey: readFileSync(env("COLLEAGUE_KEY_FILE"), "utf8"),
    baseUrl: env("BASE_URL"),
  });
  const email = env("COLLEAGUE_EMAIL");

  // A store of the owner's for each shared role; the colleague's own for "owner".
  async function storeFor(role) {
    const maker = role === "owner" ? colleague : owner;
    const { store } = await maker.stores.create({ name: `Team ${role}` });
    const { product } = await maker.onetimeProducts.create({
      storeId: store.id,
      name: `Seed ${role}`,
      prices: PRICES,
    });
    const added =
      role === "owner" ? null : await owner.storeMerchants.add({ storeId: store.id, email, role });
    return { role, storeId: store.id, productId: product.id, added };
  }

  const stores = {};
  const matrix = {};
  for (const role of ["member", "admin", "owner"]) {
    const store = await storeFor(role);
    stores[role] = store;
    matrix[role] = {};
    for (const [name, call] of MATRIX) {
      matrix[role][name] = await outcome(call(colleague, store));
    }
  }

  // The team calls themselves, on a fresh shared store.
  const { store } = await owner.stores.create({ name: "Team calls" });
  const storeId = store.id;
  const added = await owner.storeMerchants.add({ storeId, email: ` ${email.toUpperCase()} `, role: "member" });
  const addedTwice = await caught(owner.storeMerchants.add({ storeId, email, role: "admin" }));
  const unknownEmail = await caught(
    owner.storeMerchants.add({ storeId, email: "nobody@example.com", role: "member" }),
  );
  const ownerRole = await caught(owner.storeMerchants.add({ storeId, email, role: "owner" }));
  const memberRenames = await caught(colleague.stores.update({ id: storeId, name: "Member's" }));
  const promoted = await owner.storeMerchants.updateRole({
    storeId,
    merchantId: added.merchantId,
    role: "admin",
  });
  const adminRenames = await colleague.stores.update({ id: storeId, name: "Admin's" });
  const ownerId = env("MERCHANT_ID");
  const demoteOwner = await caught(
    colleague.storeMerchants.updateRole({ storeId, merchantId: ownerId, role: "member" }),
  );
  const removeOwner = await caught(colleague.storeMerchants.remove({ storeId, merchantId: ownerId }));
  const seenAs = await colleague.graphql.query({
    query: "query ($id: ID!) { merchant(id: $id) { id storeMerchants { role store { id } } } }",
    variables: { id: added.merchantId },
  });
  const removed = await owner.storeMerchants.remove({ storeId, merchantId: added.merchantId });
  const afterRemoval = await caught(colleague.stores.update({ id: storeId, name: "Gone" }));
  await nextSecond(); // the same call again is a new request only in another second
  const removedTwice = await caught(
    owner.storeMerchants.remove({ storeId, merchantId: added.merchantId }),
  );

  return {
    matrix,
    sharedStores: { member: stores.member.storeId, admin: stores.admin.storeId },
    addedForMatrix: stores.admin.added,
    calls: {
      storeId,
      added,
      addedTwice,
      unknownEmail,
      ownerRole,
      memberRenames,
      promoted,
      adminRenames,
      demoteOwner,
      removeOwner,
      seenAs,
      removed,
      afterRemoval,
      removedTwice,
    },
  };
});
