// client.onetimeProducts.create / update / publish / updateStatus on STORE_ID.
import { client, env, run } from "./lib.mjs";

run(async () => {
  const sdk = client();
  const products = sdk.onetimeProducts;

  const created = await products.create({
    storeId: env("STORE_ID"),
    name: "E-Book",
    description: "Complete guide",
    metadata: { sku: "ebook-001" },
    successUrl: "https://example.com/thanks",
    media: [{ type: "image", url: "https://example.com/cover.jpg", alt: "Cover" }],
    prices: {
      USD: { amount: "29.00", taxCategory: "digital_goods" },
      EUR: { amount: "27.00", taxCategory: "digital_goods", taxIncluded: true },
      JPY: { amount: "4500", taxCategory: "digital_goods" },
    },
  });
  const id = created.product.id;

  const updated = await products.update({
    id,
    name: "E-Book, 2nd edition",
    prices: {
      USD: { amount: "39.00", taxCategory: "digital_goods" },
      JPY: { amount: "5800", taxCategory: "digital_goods" },
    },
  });
  // Same content as the current version: no new version may be written.
  const unchanged = await products.update({ id, name: "E-Book, 2nd edition" });
  const published = await products.publish({ id });
  // An edit after publishing moves the test version only.
  const editedAfterPublish = await products.update({ id, description: "Revised guide" });
  const deactivated = await products.updateStatus({ id, status: "inactive" });
  // The same merchant's prod key sees what prod sells: the published version, still active.
  const prodView = await client(env("PROD_KEY_FILE")).onetimeProducts.updateStatus({
    id,
    status: "active",
  });

  return { created, updated, unchanged, published, editedAfterPublish, deactivated, prodView };
});
