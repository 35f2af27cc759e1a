"""The app under test for bench/certificates.py, served by gunicorn with bare endpoints beside it.

The app is built as in production, with the settings the bench passes in BENCH_CONFIG; the bare
endpoints are the yardsticks of the same kinds: a plain text response, and a `send_file` of a given PDF
(the certificate; the assessment report).
"""

import json
import os

from flask import Response, send_file

from certify import create_app

app = create_app(json.loads(os.environ["BENCH_CONFIG"]))
TEXT = "x" * int(os.environ["BENCH_TEXT_BYTES"])
PDF = os.environ["BENCH_PDF"]
REPORT_PDF = os.environ.get("BENCH_REPORT_PDF", PDF)


@app.get("/bench/bare-text")
def bare_text():
    """A plain text response of the verification page's size."""
    return Response(TEXT, mimetype="text/plain")


@app.get("/bench/bare-file")
def bare_file():
    """The stored PDF sent as the download view sends it, without looking anything up."""
    return send_file(PDF, mimetype="application/pdf", as_attachment=True, download_name="certificate.pdf")


@app.get("/bench/bare-report")
def bare_report():
    """The stored assessment report sent as the report's download view sends it, without any look-up."""
    return send_file(REPORT_PDF, mimetype="application/pdf", as_attachment=True, download_name="report.pdf")
