"""Endpoints processors call (their webhooks): thin views over payments' services."""
