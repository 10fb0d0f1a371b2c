"""Django's PostgreSQL backend, with the health check skipped for a connection that has just
proved itself.

Django's ``CONN_HEALTH_CHECKS`` sends ``SELECT 1`` before the first query of every request
on a kept connection: a round trip per request, about a twentieth of a cheap API call
(issue 18). A connection whose previous request ran its statements without a connection
error less than ``HEALTH_CHECK_BYPASS`` seconds ago (default 0.5, HikariCP's window for the
same check) is used without it. One that idled longer is checked as Django checks it, so a
connection the server dropped while idle is still replaced, not an error. Only a drop inside
that half second can reach a request, which then fails as the requests in flight at the
drop do, and the connection is closed after it. 0 checks before every request.
"""

import time

from django.db import DEFAULT_DB_ALIAS
from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, settings_dict, alias=DEFAULT_DB_ALIAS):
        super().__init__(settings_dict, alias)
        self.health_check_bypass = float(settings_dict.get("HEALTH_CHECK_BYPASS", 0.5))
        self.proved_at = None  # time.monotonic() at the end of the last sound request

    def close_if_unusable_or_obsolete(self):
        # Called as a request starts and as it ends. At the end, health_check_done says
        # the request used the connection, and errors_occurred whether it failed doing so.
        failed = self.errors_occurred
        used = self.connection is not None and self.health_check_done
        super().close_if_unusable_or_obsolete()
        if self.connection is None or failed:
            self.proved_at = None
        elif used:
            self.proved_at = time.monotonic()

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and self.proved_at is not None
            and time.monotonic() - self.proved_at < self.health_check_bypass
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
