"""RSA key pairs made once per test run (key generation is the slow part of signing tests)."""

from core.signing import generate_key_pair

TEST_KEY_PAIR = generate_key_pair(bits=2048)
OTHER_KEY_PAIR = generate_key_pair(bits=2048)
