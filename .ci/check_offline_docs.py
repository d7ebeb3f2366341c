"""Check that the built documentation reads offline.

No page may load a script or a stylesheet from the network, and every local script a page loads
must exist (MathJax included).

Run by ``make docs`` after the build: ``python .ci/check_offline_docs.py docs/_build/html``.
"""

import re
import sys
from pathlib import Path

REMOTE = re.compile(r"^(https?:)?//", re.I)
SCRIPT = re.compile(r"<script[^>]*\bsrc=\"([^\"]+)\"", re.I)
STYLESHEET = re.compile(r"<link[^>]*\brel=\"stylesheet\"[^>]*\bhref=\"([^\"]+)\"", re.I)


def main(root: Path) -> int:
    """Print every remote or missing script and stylesheet under ``root``; 1 if any."""
    pages = sorted(root.rglob("*.html"))
    problems = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for url in SCRIPT.findall(html) + STYLESHEET.findall(html):
            if REMOTE.match(url):
                problems.append(f"{page.relative_to(root)}: remote {url}")
            elif not (page.parent / url.split("?")[0].split("#")[0]).is_file():
                problems.append(f"{page.relative_to(root)}: missing {url}")
    for line in problems:
        print(line, file=sys.stderr)
    print(f"offline docs: {len(pages)} pages, {len(problems)} problems")
    return 1 if problems or not pages else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/_build/html")))
