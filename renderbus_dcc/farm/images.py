"""Small pictures, written with the standard library: progress grabs (PNG) and rendered outputs
(PNG or OpenEXR, as the scene asks)."""

import struct
import zlib
from functools import lru_cache
from typing import Tuple

__all__ = ["png_bytes", "exr_bytes", "progress_png", "frame_png", "frame_image", "frame_image_size"]


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


def _attr(name: str, kind: str, value: bytes) -> bytes:
    return name.encode("ascii") + b"\x00" + kind.encode("ascii") + b"\x00" + struct.pack("<i", len(value)) + value


def _half(value: float) -> bytes:
    return struct.pack("<e", value)


def exr_bytes(width: int, height: int, pixels: bytes) -> bytes:
    """A scanline OpenEXR file (uncompressed, half-float R, G, B) from 8-bit RGB ``pixels``.

    The layout of the OpenEXR file format specification: magic and version, the header's
    required attributes, the offset table, then one block per line (channels in name order).
    """
    channels = b"".join(name + b"\x00" + struct.pack("<iB3xii", 1, 0, 1, 1) for name in (b"B", b"G", b"R")) + b"\x00"
    box = struct.pack("<iiii", 0, 0, width - 1, height - 1)
    header = (b"\x76\x2f\x31\x01" + struct.pack("<i", 2)
              + _attr("channels", "chlist", channels) + _attr("compression", "compression", b"\x00")
              + _attr("dataWindow", "box2i", box) + _attr("displayWindow", "box2i", box)
              + _attr("lineOrder", "lineOrder", b"\x00") + _attr("pixelAspectRatio", "float", struct.pack("<f", 1.0))
              + _attr("screenWindowCenter", "v2f", struct.pack("<ff", 0.0, 0.0))
              + _attr("screenWindowWidth", "float", struct.pack("<f", 1.0)) + b"\x00")
    lut = [_half((v / 255.0) ** 2.2) for v in range(256)]  # linear light, as renders are
    stride = width * 3
    blocks = []
    for y in range(height):
        row = pixels[y * stride:(y + 1) * stride]
        data = b"".join(b"".join(lut[row[x * 3 + c]] for x in range(width)) for c in (2, 1, 0))
        blocks.append(struct.pack("<ii", y, len(data)) + data)
    offset = len(header) + 8 * height
    table = []
    for block in blocks:
        table.append(struct.pack("<Q", offset))
        offset += len(block)
    return header + b"".join(table) + b"".join(blocks)


@lru_cache(maxsize=1024)
def frame_image(width: int, height: int, seed: int, image_format: str = "png") -> bytes:
    """The rendered image of a frame (layer, camera): PNG, or OpenEXR for ``"exr"``."""
    pixels = _picture(width, height, seed, height)
    return exr_bytes(width, height, pixels) if image_format == "exr" else png_bytes(width, height, pixels)


@lru_cache(maxsize=65536)
def frame_image_size(width: int, height: int, seed: int, image_format: str = "png") -> int:
    """The byte size of :func:`frame_image` (kept for many more images than their bytes are)."""
    return len(frame_image(width, height, seed, image_format))
