"""Small shared values with no home of their own."""

from typing import Any, Final


class _Unset:
    """Marks a field the client did not send, as opposed to one it sent as ``null``."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Final[Any] = _Unset()
