"""Objects in an S3 bucket: AWS, or any S3-compatible service (MinIO, Ceph, Yandex Object Storage …).

Objects are kept at <prefix>/<area>/<name>, the local layout under a prefix, so an installation moves over
by copying its folders (docs/deployment.md). Credentials come from boto3's own chain (AWS_ACCESS_KEY_ID
and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, an instance role …), never from the app's settings. The bucket is
private: every download goes through the app, which checks who may read the file first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from flask import Response, send_file

from certify.storage import AREAS, Storage, StorageMisconfigured, StorageUnavailable, chunks_of

#: what a call may wait for: a sync worker held for botocore's default minute per attempt would be
#: killed by gunicorn's timeout first, so a storage that does not answer is refused sooner
CLIENT_CONFIG = Config(
    connect_timeout=5,
    read_timeout=20,
    retries={"mode": "standard", "max_attempts": 3},
    # botocore 1.36 started sending CRC checksums on every upload, which several S3-compatible services
    # refuse; only the operations that require one get it
    request_checksum_calculation="when_required",
    response_checksum_validation="when_required",
)

#: the errors a call to the service raises (connection, credentials, refusals, a missing object or bucket)
FAILURES = (BotoCoreError, ClientError)


class S3Storage(Storage):
    def __init__(self, client, bucket: str, prefix: str = ""):
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")

    @classmethod
    def from_config(cls, config: Mapping) -> S3Storage:
        """The storage of CERTIFY_S3_BUCKET, its client built once (clients are safe to share between
        threads); StorageMisconfigured when the settings cannot work."""
        bucket = (config.get("CERTIFY_S3_BUCKET") or "").strip()
        if not bucket:
            raise StorageMisconfigured("CERTIFY_STORAGE_BACKEND=s3 needs CERTIFY_S3_BUCKET, the bucket")
        endpoint = config.get("CERTIFY_S3_ENDPOINT_URL") or None
        # path-style addressing (endpoint/bucket/key) is what every S3-compatible service understands;
        # AWS itself, without an endpoint, keeps its virtual-hosted default
        addressing = Config(s3={"addressing_style": "path"}) if endpoint else Config()
        try:
            client = boto3.session.Session().client(
                "s3",
                endpoint_url=endpoint,
                region_name=config.get("CERTIFY_S3_REGION") or None,
                config=CLIENT_CONFIG.merge(addressing),
            )
        except (ValueError, BotoCoreError) as error:
            raise StorageMisconfigured(f"the S3 storage settings cannot work: {error}") from error
        return cls(client, bucket, config.get("CERTIFY_S3_PREFIX") or "")

    def key(self, area: str, name: str) -> str:
        """The object's key in the bucket."""
        if area not in AREAS:
            raise ValueError(f"no storage area {area!r}")
        return "/".join(part for part in (self.prefix, area, name) if part)

    def store(self, area: str, name: str, content: bytes | BinaryIO) -> str:
        # One PUT, so an object is either whole or absent: a refused upload leaves nothing to remove. A
        # stream is hashed first and then sent from where it stood (uploads are seekable files).
        digest = hashlib.sha256()
        start = None if isinstance(content, bytes | bytearray | memoryview) else content.tell()
        for chunk in chunks_of(content):
            digest.update(chunk)
        if start is not None:
            content.seek(start)
        try:
            self.client.put_object(Bucket=self.bucket, Key=self.key(area, name), Body=content)
        except FAILURES as error:
            raise self._unavailable("written", area, name, error) from error
        return digest.hexdigest()

    def open(self, area: str, name: str) -> BinaryIO:
        return self._get(area, name)["Body"]

    def delete(self, area: str, name: str) -> None:
        try:  # S3 answers a missing key's deletion as a success
            self.client.delete_object(Bucket=self.bucket, Key=self.key(area, name))
        except FAILURES as error:
            raise self._unavailable("deleted", area, name, error) from error

    def download(self, area: str, name: str, *, mimetype: str, download_name: str, sha256: str) -> Response:
        found = self._get(area, name)
        response = send_file(
            found["Body"],
            mimetype=mimetype,
            as_attachment=True,
            download_name=download_name,
            etag=sha256,
            last_modified=found["LastModified"],
        )
        if response.status_code == 200:  # send_file cannot know a stream's length; a 304 has none
            response.content_length = found["ContentLength"]
        return response

    def describe(self) -> str:
        where = self.client.meta.endpoint_url
        return f"S3 bucket {self.bucket} at {where}, objects under {self.prefix or '(no prefix)'}/<area>/"

    def _get(self, area: str, name: str) -> dict:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.key(area, name))
        except FAILURES as error:
            raise self._unavailable("read", area, name, error) from error

    def _unavailable(self, done: str, area: str, name: str, error: Exception) -> StorageUnavailable:
        return StorageUnavailable(f"{area}/{name} could not be {done} in S3 bucket {self.bucket}: {error}")
