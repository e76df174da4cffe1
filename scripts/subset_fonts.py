"""Build the PDF fonts under data/fonts/ from Debian's DejaVu Sans.

The panorama PDF embeds a TrueType font so that French text prints whole
(fpdf2's core fonts are Latin-1 only: no "œ", "’", "—" or narrow no-break
space). DejaVu Sans covers them; its Latin and punctuation glyphs are kept
(about 5 % of the full font), without hinting. The result is versioned, so
this script only needs running to change the character set.

Usage::

    apt-get install fonts-dejavu-core
    python scripts/subset_fonts.py
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("/usr/share/fonts/truetype/dejavu")
OUT = ROOT / "data" / "fonts"
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")

# Basic Latin, Latin-1, Latin Extended-A (œ, Œ, Ÿ…), general punctuation
# (’ – — … « » and the narrow no-break space), €, arrows, ≤ ≥ −, and the
# square and circle used as legend keys.
UNICODES = [
    *range(0x0020, 0x007F),
    *range(0x00A0, 0x0180),
    *range(0x2000, 0x2070),
    0x20AC,
    *range(0x2190, 0x2200),
    0x2212,
    0x2264,
    0x2265,
    *range(0x25A0, 0x25D0),
]


def build(source: Path, out: Path) -> list[Path]:
    """Subset each font of :data:`FONTS` from ``source`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    options = subset.Options()
    options.hinting = False
    options.name_IDs = ["*"]
    options.notdef_outline = True
    written = []
    for name in FONTS:
        font = subset.load_font(str(source / name), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=UNICODES)
        subsetter.subset(font)
        target = out / name
        subset.save_font(font, str(target), options)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    for path in build(args.source, args.out):
        print(f"{path} ({path.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
