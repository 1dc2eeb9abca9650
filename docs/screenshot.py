"""Take docs/img/article.png: the sample article's standalone HTML page in headless Chromium.

Run from anywhere, after a change to the html renderer or its stylesheet:

    python docs/screenshot.py              # writes docs/img/article.png
    python docs/screenshot.py --out X.png  # elsewhere

It needs Debian's ``chromium`` (``.ci/install-html-tools.sh`` installs it). The page is
rendered with ``newsarticle.render(article, "html", standalone=True)`` and opened from a
temporary folder, so the picture shows exactly what a reader of the file would see.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

import newsarticle

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "articles" / "edge_wrapped_paragraphs.txt"
OUT = ROOT / "docs" / "img" / "article.png"
#: The picture's size in pixels: a laptop-width window, tall enough for the headline and the first paragraphs.
SIZE = (1000, 800)


def take(out: Path, *, size: tuple[int, int] = SIZE, article: Path = SAMPLE) -> Path:
    """Render ``article`` as a standalone page and save Chromium's picture of it as the PNG ``out``."""
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("docs/screenshot.py needs Debian's chromium: run .ci/install-html-tools.sh (as root)")
    page = str(newsarticle.render(newsarticle.parse_file(article, source=article.name), "html", standalone=True))
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        html = Path(folder) / "article.html"
        html.write_text(page, encoding="utf-8")
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                # One CSS pixel per image pixel, whatever the machine's display says.
                "--force-device-scale-factor=1",
                f"--user-data-dir={Path(folder) / 'profile'}",
                f"--window-size={size[0]},{size[1]}",
                f"--screenshot={out.resolve()}",
                html.as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=True,
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"the PNG to write (default {OUT.relative_to(ROOT)})")
    print(take(parser.parse_args().out))


if __name__ == "__main__":
    main()
