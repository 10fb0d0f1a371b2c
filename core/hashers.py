"""A fast hash for high-entropy machine secrets (OAuth client secrets), never passwords.

A slow password hash protects guessable secrets by making each guess expensive. A secret of
64 random characters cannot be guessed, so the slow hash only makes every token request
burn a second of CPU (and tells apart an unknown client, which costs nothing, from a
wrong secret). One salted SHA-256 is enough to make a leaked table useless, as for the
cart API's ``sk_`` secrets (``stores.secret_keys``).
"""

import hashlib

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare


class SecretSha256Hasher(BasePasswordHasher):
    algorithm = "secret_sha256"

    def encode(self, password, salt):
        self._check_encode_args(password, salt)
        digest = hashlib.sha256(f"{salt}${password}".encode()).hexdigest()
        return f"{self.algorithm}${salt}${digest}"

    def decode(self, encoded):
        algorithm, salt, digest = encoded.split("$", 2)
        assert algorithm == self.algorithm
        return {"algorithm": algorithm, "hash": digest, "salt": salt}

    def verify(self, password, encoded):
        salt = self.decode(encoded)["salt"]
        return constant_time_compare(encoded, self.encode(password, salt))

    def safe_summary(self, encoded):
        decoded = self.decode(encoded)
        return {
            "algorithm": decoded["algorithm"],
            "salt": mask_hash(decoded["salt"], show=2),
            "hash": mask_hash(decoded["hash"]),
        }

    def harden_runtime(self, password, encoded):
        pass
