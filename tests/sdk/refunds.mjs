// A buyer asks for a refund through client.customer(token): create a ticket, be refused a
// second one, resubmit a rejected one. STEP=create or STEP=resubmit (the test rejects the
// ticket in between, as the platform's staff would).
import { caught, client, env, nextSecond, run } from "./lib.mjs";

const ask = (amount, reason) => ({
  paymentId: env("PAYMENT_ID"),
  reason,
  requestedAmount: { amount, currency: "USD" },
});

run(async () => {
  const sdk = client();
  // The resubmit step signs the same token request as the create step: a second apart, so
  // the server does not refuse it as a replay.
  if (env("STEP") === "resubmit") await nextSecond();
  const { token } = await sdk.auth.issueSessionToken({
    storeId: env("STORE_ID"),
    buyerIdentity: "buyer-1",
  });
  const customer = sdk.customer(token, { environment: "test" });

  if (env("STEP") === "create") {
    const created = await customer.createRefundTicket({
      ...ask("10.00", "Not as described"),
      metadata: { source: "sdk" },
      refundTicketMerchantExternalId: "REF-2026-00891",
    });
    const second = await caught(customer.createRefundTicket(ask("1.00", "Again")));
    const stranger = await sdk.auth.issueSessionToken({
      storeId: env("STORE_ID"),
      buyerIdentity: "user-42",
    });
    const strangers = await caught(
      sdk.customer(stranger.token, { environment: "test" }).createRefundTicket(ask("1.00", "Mine?")),
    );
    const tooEarly = await caught(
      customer.resubmitRefundTicket({ ticketId: created.ticket.id, ...ask("5.00", "Sooner") }),
    );
    return { created, second, strangers, tooEarly };
  }
  const resubmitted = await customer.resubmitRefundTicket({
    ticketId: env("TICKET_ID"),
    ...ask("5.00", "It arrived broken: photo attached"),
  });
  return { resubmitted };
});
