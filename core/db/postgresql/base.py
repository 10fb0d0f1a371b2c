"""Django's PostgreSQL backend, with the health check skipped for a connection that has just
proved itself.

Django's ``CONN_HEALTH_CHECKS`` sends ``SELECT 1`` before the first query of every request
on a kept connection: a round trip per request, about a twentieth of a cheap API call
(issue 18). A connection that was opened, or asked for by a request that met no connection
error, less than ``HEALTH_CHECK_BYPASS`` seconds ago (default 0.5, HikariCP's window for the
same check) is used without it. One that idled longer, or whose last request met an error
that may have broken it, is checked as Django checks it, so a connection the server dropped
meanwhile is replaced, not an error. Only a drop inside that half second can reach a
request, which then fails as the requests in flight at the drop do, and the connection is
checked after it. 0 checks before every request.
"""

import time

from django.db import DEFAULT_DB_ALIAS
from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, settings_dict, alias=DEFAULT_DB_ALIAS):
        super().__init__(settings_dict, alias)
        self.health_check_bypass = float(settings_dict.get("HEALTH_CHECK_BYPASS", 0.5))
        # time.monotonic() when the connection last answered or was last asked for by a
        # request that then met no connection error; None: check before trusting it again.
        self.used_at = None

    def connect(self):
        super().connect()
        self.used_at = time.monotonic()  # its handshake was a round trip

    def close_if_health_check_failed(self):
        """Called on every cursor and transaction a request opens, the first one checking."""
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and self.used_at is not None
            and time.monotonic() - self.used_at < self.health_check_bypass
        ):
            self.health_check_done = True
        else:
            super().close_if_health_check_failed()
        if self.connection is not None:
            self.used_at = time.monotonic()

    def close_if_unusable_or_obsolete(self):
        """Called as a request starts and as it ends: a connection that met an error which
        may have broken it is checked before the next request trusts it."""
        if self.errors_occurred:
            self.used_at = None
        super().close_if_unusable_or_obsolete()
