"""The timing of payments, subscriptions and refunds: how long before the worker steps in,
when renewals are retried, how long a refund may be asked for. Read from the environment
with these defaults (the README's configuration table lists them)."""


def read(env) -> dict:
    return {
        # A pending payment older than this (seconds) is resolved by asking its processor: by the
        # worker's sweep, or at once when the buyer submits again.
        "PAYMENT_RECONCILE_AFTER": env.int("PAYMENT_RECONCILE_AFTER", default=120),
        # A payment still waiting for the buyer (3-D Secure) this long (seconds) after it began is
        # abandoned: the reconciler cancels it at the processor unless it charged meanwhile.
        "PAYMENT_ABANDON_AFTER": env.int("PAYMENT_ABANDON_AFTER", default=3600),
        # Days after a declined renewal's period end on which it is retried; after the last, the
        # subscription is canceled.
        "SUBSCRIPTION_RETRY_DAYS": env.str("SUBSCRIPTION_RETRY_DAYS", default="3,5,7"),
        # Days before a trial ends on which its "trial ending" reminder event is recorded.
        "SUBSCRIPTION_TRIAL_REMINDER_DAYS": env.int("SUBSCRIPTION_TRIAL_REMINDER_DAYS", default=3),
        # A refund ticket may be opened this many days after its payment succeeded.
        "REFUND_WINDOW_DAYS": env.int("REFUND_WINDOW_DAYS", default=14),
        # An approved refund still processing this long (seconds) after its last attempt (a lost
        # task, a processor that did not answer) is executed again by the worker's sweep.
        "REFUND_RETRY_AFTER": env.int("REFUND_RETRY_AFTER", default=60),
    }
