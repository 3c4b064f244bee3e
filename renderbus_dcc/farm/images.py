"""Small PNG pictures, written with the standard library: progress grabs and placeholder outputs."""

import struct
import zlib
from functools import lru_cache
from typing import Tuple

__all__ = ["png_bytes", "progress_png", "frame_png"]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bytes(width: int, height: int, pixels: bytes) -> bytes:
    """An 8-bit RGB PNG from ``pixels`` (``width * height * 3`` bytes, rows top to bottom)."""
    stride = width * 3
    raw = b"".join(b"\x00" + pixels[y * stride:(y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 6)) + _chunk(b"IEND", b"")


def _colour(seed: int) -> Tuple[int, int, int]:
    return (80 + (seed * 67) % 150, 80 + (seed * 131) % 150, 80 + (seed * 199) % 150)


def _picture(width: int, height: int, seed: int, filled_rows: int) -> bytes:
    """Rows above ``filled_rows`` show a shaded 'render' on a bucket grid; the rest the grey of empty buckets."""
    r0, g0, b0 = _colour(seed)
    empty = bytes((40, 40, 40)) * width
    out = bytearray()
    for y in range(filled_rows):
        shade = y * 80 // max(1, height)
        if y % 16 == 15:
            row = bytearray(bytes((20, 20, 20)) * width)
        else:
            row = bytearray(bytes((min(255, r0 + shade), min(255, g0 + shade // 2), max(0, b0 - shade))) * width)
            for x in range(15, width, 16):
                row[x * 3:x * 3 + 3] = b"\x14\x14\x14"
        out += row
    out += empty * (height - filled_rows)
    return bytes(out)


@lru_cache(maxsize=512)
def progress_png(width: int, height: int, seed: int, percent: int) -> bytes:
    """A grab of a frame block ``percent`` rendered: its filled part grows with the percent."""
    percent = max(0, min(100, int(percent)))
    return png_bytes(width, height, _picture(width, height, seed, (height * percent + 99) // 100))


def frame_png(width: int, height: int, seed: int) -> bytes:
    """The placeholder image of a rendered frame."""
    return progress_png(width, height, seed, 100)
