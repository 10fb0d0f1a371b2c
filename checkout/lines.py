"""A session's line items: what it sells, each at its locked unit price and quantity.

Lines are written once, when the session is made, and kept on the session row as a JSON
snapshot: a session's contents never change, and one row keeps creating a session to a
single insert. A single-product session is one line.
"""

import uuid
from dataclasses import asdict, dataclass, replace


@dataclass(frozen=True, slots=True)
class SessionLine:
    product_id: uuid.UUID
    product_version_id: uuid.UUID
    product_type: str
    name: str
    quantity: int
    unit_amount_minor: int
    tax_category: str
    tax_included: bool
    billing_period: str = ""
    price_overridden: bool = False
    with_trial: bool = False
    trial_amount_minor: int | None = None
    trial_days: int | None = None
    requires_shipping: bool = False

    @classmethod
    def at_list_price(cls, *, product, version, price, quantity: int) -> "SessionLine":
        """A line of ``quantity`` units of ``version`` at its list ``price`` (a
        ``ProductPrice``): what carts and partner baskets sell."""
        return cls(
            product_id=product.pk,
            product_version_id=version.pk,
            product_type=product.type,
            name=version.name,
            quantity=quantity,
            unit_amount_minor=price.amount_minor,
            tax_category=price.tax_category,
            tax_included=price.tax_included,
            billing_period=version.billing_period or "",
            requires_shipping=version.requires_shipping,
        )

    @property
    def charged_unit_amount(self) -> int:
        """What one unit costs on the first charge: the trial price while a trial applies."""
        if self.with_trial and self.trial_amount_minor is not None:
            return self.trial_amount_minor
        return self.unit_amount_minor

    def without_trial(self) -> "SessionLine":
        """The same line at its full price (the buyer's trial was used up already)."""
        return replace(self, with_trial=False, trial_amount_minor=None, trial_days=None)

    def to_json(self) -> dict:
        data = asdict(self)
        data["product_id"] = str(self.product_id)
        data["product_version_id"] = str(self.product_version_id)
        return data

    @classmethod
    def from_json(cls, data: dict) -> "SessionLine":
        """Reads known keys only, so snapshots written before a field was added still load
        (the field takes its default) and a field dropped later is simply ignored."""
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["product_id"] = uuid.UUID(data["product_id"])
        known["product_version_id"] = uuid.UUID(data["product_version_id"])
        return cls(**known)
