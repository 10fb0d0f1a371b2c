"""Stands in for production until an operator configures a real processor: every charge is
refused cleanly, and nothing was ever charged through it."""

from payments.processors.base import ChargeResult, ChargeStatus, RefundResult, SaveResult

UNAVAILABLE = ("processor_unavailable", "Payments are not available right now.")


class UnconfiguredProcessor:
    name = "unconfigured"
    page = None

    def prepare(self, **kwargs) -> ChargeResult:
        return self._refused()

    def _refused(self) -> ChargeResult:
        return ChargeResult(ChargeStatus.FAILED, "", *UNAVAILABLE)

    def charge(self, **kwargs) -> ChargeResult:
        return self._refused()

    def charge_saved(self, **kwargs) -> ChargeResult:
        return self._refused()

    def save_method(self, **kwargs) -> SaveResult:
        return SaveResult(None, *UNAVAILABLE)

    def lookup(self, **kwargs) -> ChargeResult | None:
        return None

    def void(self, **kwargs) -> ChargeResult:
        return ChargeResult(ChargeStatus.CANCELED)

    def refund(self, **kwargs) -> RefundResult:
        return RefundResult(False, "", 0, *UNAVAILABLE)
