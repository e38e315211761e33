"""The set-up QR code, drawn on the server as inline SVG (segno, pure Python): the key never
leaves the site for an image service, and the page works without internet."""

import segno


def qr_svg(text: str) -> str:
    return segno.make(text, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")
