"""Looking at a report PDF in tests: its text (pdftotext) and its pages as PNG under
test-artifacts/reports/ (pdftoppm), to check by eye."""

from __future__ import annotations

import subprocess
from pathlib import Path

from stegvis.reports.pdf import pdf_text

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "reports"

__all__ = ["pdf_pages", "pdf_text", "save_pages"]


def pdf_pages(pdf: bytes) -> int:
    """The number of pages, from the PDF's own page tree (pdfinfo)."""
    result = subprocess.run(
        ["pdfinfo", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
    )
    for line in result.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo found no page count")


def save_pages(pdf: bytes, name: str, *, resolution: int = 70) -> list[Path]:
    """Write the PDF and every page as PNG (test-artifacts/reports/<name>-N.png)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(  # noqa: S603 (our own file names)
        ["pdftoppm", "-png", "-r", str(resolution), str(source), str(ARTIFACTS / name)],  # noqa: S607
        check=True,
    )
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))
