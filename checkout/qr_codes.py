"""QR codes of template carts' public links, as the cart API (seed 002) serves them."""

import io

import segno


def qr_image(url: str, *, kind: str, size: int, margin: int) -> bytes:
    """A PNG or SVG of ``url``: always a full QR code (never Micro QR), error correction
    exactly M (``boost_error=False``), so a printed code is the same whatever the URL's
    length happens to allow."""
    code = segno.make_qr(url, error="m", boost_error=False)
    buffer = io.BytesIO()
    code.save(buffer, kind=kind, scale=size, border=margin)
    return buffer.getvalue()
