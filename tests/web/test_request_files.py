"""Uploads refused while they are read leave no temporary file open (a hostile-form finding)."""

from __future__ import annotations

import gc
import io
import warnings


def test_an_upload_refused_while_it_is_read_leaves_no_temporary_file_open(client):
    # The file (over 500 KB, so spooled to a temporary file) is read first; the text field after it is
    # over the form's memory limit, so the request is refused half read.
    boundary = "certify-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        f"Content-Type: application/pdf\r\n\r\n{'x' * 700 * 1024}\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\n{"a" * 600 * 1024}\r\n'
        f"--{boundary}--\r\n"
    ).encode()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        response = client.post(
            "/login", data=io.BytesIO(body), content_type=f"multipart/form-data; boundary={boundary}"
        )
        gc.collect()
    assert response.status_code == 413
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]
