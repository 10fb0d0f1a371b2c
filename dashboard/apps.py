from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The business overview on the admin index. It composes the apps below it (orders,
    checkout sessions, and refunds once they land), so it sits above them all."""

    name = "dashboard"
