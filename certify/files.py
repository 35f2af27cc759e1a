"""Files the app writes (e-mails, evidence, certificates) readable by the app's own user only.

The default umask (usually 022) would leave them world-readable on a shared host: uploaded evidence,
e-mails carrying password-reset links. Folders are created 0700 and files 0600, whatever the umask.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(folder: Path) -> Path:
    """Create `folder` if missing, owner-only (an existing one, perhaps a mounted volume, is left as is)."""
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    return folder


def open_private(path: Path) -> BinaryIO:
    """Open `path` for writing in binary, created owner-only (an existing file keeps its own mode)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    return os.fdopen(descriptor, "wb")


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path`, created owner-only."""
    with open_private(path) as handle:
        handle.write(data)
