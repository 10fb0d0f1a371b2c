"""The European Central Bank's euro reference rates, one row per currency and rate date.

A rate says how many units of the currency one euro buys that day (the ECB's convention);
the euro itself is never stored (it is 1). Rows are only written by ``fx.services``."""

from django.db import models


class ReferenceRate(models.Model):
    rate_date = models.DateField(help_text="The business day the ECB's set is dated.")
    currency = models.CharField(max_length=3)
    per_euro = models.DecimalField(
        max_digits=20, decimal_places=10, help_text="Units of the currency per 1 EUR."
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-rate_date", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["rate_date", "currency"], name="one_rate_per_day"),
            models.CheckConstraint(condition=models.Q(per_euro__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.rate_date} 1 EUR = {self.per_euro} {self.currency}"
