#!/usr/bin/python3
"""Render the Windows .ico and the macOS .icns from resources/icons/spyglass.svg.

Both files are committed (resources/icons/spyglass.ico, spyglass.icns) because the Windows and
macOS builds have no SVG renderer at hand; run this after changing the SVG:

    /usr/bin/python3 installers/icons/make_icons.py     (needs rsvg-convert: librsvg2-bin)

Each size is rendered by rsvg-convert and stored as PNG data, which both formats accept:
ICO since Windows Vista, ICNS with the 'ic07'..'ic14' types since macOS 10.7. On a Mac the
.icns can equally be made with Apple's tools:

    mkdir spyglass.iconset
    for s in 16 32 128 256 512; do
        rsvg-convert -w $s -h $s spyglass.svg -o spyglass.iconset/icon_${s}x${s}.png
        rsvg-convert -w $((s*2)) -h $((s*2)) spyglass.svg -o spyglass.iconset/icon_${s}x${s}@2x.png
    done
    iconutil -c icns spyglass.iconset
"""
import pathlib
import struct
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
SVG = ROOT / "resources" / "icons" / "spyglass.svg"

ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
# ICNS element types holding PNG data, and the pixel size of each.
ICNS_TYPES = [(b"icp4", 16), (b"icp5", 32), (b"ic11", 32), (b"ic07", 128), (b"ic12", 64),
              (b"ic08", 256), (b"ic13", 256), (b"ic09", 512), (b"ic14", 512), (b"ic10", 1024)]


def render(size: int, tmp: pathlib.Path) -> bytes:
    out = tmp / f"{size}.png"
    if not out.exists():
        subprocess.run(["rsvg-convert", "-w", str(size), "-h", str(size), str(SVG), "-o",
                        str(out)], check=True)
    return out.read_bytes()


def make_ico(tmp: pathlib.Path) -> bytes:
    images = [render(s, tmp) for s in ICO_SIZES]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, data = b"", b""
    for size, png in zip(ICO_SIZES, images):
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset + len(data))
        data += png
    return header + entries + data


def make_icns(tmp: pathlib.Path) -> bytes:
    body = b""
    for kind, size in ICNS_TYPES:
        png = render(size, tmp)
        body += kind + struct.pack(">I", 8 + len(png)) + png
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        (ROOT / "resources" / "icons" / "spyglass.ico").write_bytes(make_ico(tmp))
        (ROOT / "resources" / "icons" / "spyglass.icns").write_bytes(make_icns(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
