"""The GraphQL read API (``POST /v1/graphql``): query-only, over the apps' selectors."""
