"""Reading PDFs in tests with poppler's command-line tools, as a user's viewer or a checker would."""

from __future__ import annotations

import subprocess
from pathlib import Path


def poppler(tool: str, pdf: Path, *args: str) -> str:
    """What `tool` (pdffonts, pdfinfo, pdfdetach …) prints for `pdf`."""
    return subprocess.run([tool, *args, str(pdf)], capture_output=True, text=True, check=True).stdout


def pdf_text(pdf: Path, *, layout: bool = False) -> str:
    """The PDF's text; with `layout`, in its physical layout (columns side by side)."""
    # "-" sends the text to stdout (by default pdftotext writes a .txt file next to the PDF).
    options = ["-layout"] if layout else []
    return subprocess.run(
        ["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
