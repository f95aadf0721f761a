"""Where files that must never be served are kept: uploads waiting for the worker.
Unlike MEDIA_ROOT, no URL leads there. The folder is read from the settings at each
use, so tests (and a change of settings) take effect."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.PRIVATE_FILES_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property  # type: ignore[override]
    def base_url(self) -> None:  # type: ignore[override]
        # No URL: Storage.url() then refuses ("not accessible via a URL").
        return None


def private_storage() -> PrivateStorage:
    return PrivateStorage()
