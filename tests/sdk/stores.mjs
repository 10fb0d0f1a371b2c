// client.stores.create / update / delete, including warnings on update.
import { caught, client, run } from "./lib.mjs";

run(async () => {
  const sdk = client();
  const created = await sdk.stores.create({ name: "  Acme Books  " });
  const id = created.store.id;

  const themed = await sdk.stores.update({
    id,
    name: "Acme Books & Co",
    checkoutSettings: { defaultDarkMode: true, light: { checkoutColorPrimary: "#ff0000" } },
  });
  // Partial merge: only the radius is sent, the colour and dark mode must survive.
  const merged = await sdk.stores.update({
    id,
    checkoutSettings: { light: { checkoutBorderRadius: "12px" } },
  });
  // emailOrderConfirmation is platform-managed and supportEmail comes from ownership
  // verification: both are dropped and named in `warnings`.
  const notifications = await sdk.stores.update({
    id,
    supportEmail: "help@example.com",
    notificationSettings: {
      notifyNewOrders: false,
      emailTrialEnding: false,
      emailOrderConfirmation: false,
    },
  });
  const deleted = await sdk.stores.delete({ id });
  const updateAfterDelete = await caught(sdk.stores.update({ id, name: "Ghost" }));

  return { created, themed, merged, notifications, deleted, updateAfterDelete };
});
