"""Files in a local folder (or a shared volume mounted at the same path on every host): the default backend.

The layout is the one the app has always used, CERTIFY_STORAGE/<area>/<name>, so an existing installation
keeps its files; folders are created 0700 and files 0600 (`certify.files`).
"""

from __future__ import annotations

import hashlib
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

from flask import Response, send_file

from certify.files import open_private, private_folder
from certify.storage import AREAS, Storage, StorageUnavailable, chunks_of


class LocalStorage(Storage):
    def __init__(self, root: Path | str):
        self.root = Path(root)

    def path(self, area: str, name: str) -> Path:
        """Where the file is (or would be) on disk."""
        if area not in AREAS:
            raise ValueError(f"no storage area {area!r}")
        return self.root / area / name

    def store(self, area: str, name: str, content: bytes | BinaryIO) -> str:
        path = self.path(area, name)
        try:
            private_folder(path.parent)
            digest = hashlib.sha256()
            with open_private(path) as target:
                for chunk in chunks_of(content):
                    digest.update(chunk)
                    target.write(chunk)
        except OSError as error:
            with suppress(OSError):  # a read-only folder keeps nothing to remove
                path.unlink(missing_ok=True)
            raise StorageUnavailable(f"{area}/{name} could not be written: {error}") from error
        return digest.hexdigest()

    def open(self, area: str, name: str) -> BinaryIO:
        try:
            return self.path(area, name).open("rb")
        except OSError as error:
            raise StorageUnavailable(f"{area}/{name} could not be read: {error}") from error

    def delete(self, area: str, name: str) -> None:
        try:
            self.path(area, name).unlink(missing_ok=True)
        except OSError as error:
            raise StorageUnavailable(f"{area}/{name} could not be deleted: {error}") from error

    def download(self, area: str, name: str, *, mimetype: str, download_name: str, sha256: str) -> Response:
        # send_file on the path, as before there were backends: its ETag (mtime, size, path) stays what
        # clients and proxies already hold, and the file is sent by the server's file wrapper
        try:
            return send_file(
                self.path(area, name), mimetype=mimetype, as_attachment=True, download_name=download_name
            )
        except OSError as error:
            raise StorageUnavailable(f"{area}/{name} could not be read: {error}") from error

    def describe(self) -> str:
        return f"local files in {self.root}"
