"""The application's request class: every upload stream it opens is closed with the request."""

from __future__ import annotations

import typing as t

from flask import Request as FlaskRequest


class Request(FlaskRequest):
    """Werkzeug closes the files of a parsed form; a form refused half read (over the memory or parts
    limit) never becomes one, and the temporary file of an upload already read would stay open until the
    garbage collector finds it. Each stream is therefore remembered and closed when the request is.
    """

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> t.IO[bytes]:
        stream = super()._get_file_stream(total_content_length, content_type, filename, content_length)
        self.__dict__.setdefault("_upload_streams", []).append(stream)
        return stream

    def close(self) -> None:
        super().close()
        for stream in self.__dict__.pop("_upload_streams", ()):
            stream.close()
