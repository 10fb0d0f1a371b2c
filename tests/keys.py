"""RSA key pairs made once per test run (key generation is the slow part of signing tests)."""

from core.signing import generate_key_pair

TEST_KEY_PAIR = generate_key_pair(bits=2048)
OTHER_KEY_PAIR = generate_key_pair(bits=2048)

# A DJANGO_SECRET_KEY production accepts (at least 50 characters, at least 5 different ones).
STRONG_SECRET_KEY = "k3y-" + "".join(chr(ord("a") + i % 26) for i in range(60))
