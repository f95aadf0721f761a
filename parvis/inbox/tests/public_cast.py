"""What the public intake tests share: photos as phones make them, and a filled-in
public form (started long enough ago to pass the minimum fill time)."""

import datetime as dt
import io
import time

from django.urls import reverse
from PIL import ExifTags, Image

from parvis.inbox.forms_public import form_started_token

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
POTHOLE = "Un nid-de-poule s'est formé rue de Dinan, près du marché couvert."


def jpeg_with_gps(width: int = 40, height: int = 30, *, rotated: bool = False) -> bytes:
    """A small JPEG carrying what a phone writes: maker, model, GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Model 12"
    if rotated:
        exif[ExifTags.Base.Orientation] = 6  # to be turned 90° clockwise
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 38.0, 50.0)
    output = io.BytesIO()
    Image.new("RGB", (width, height), (200, 60, 40)).save(
        output, "JPEG", exif=exif, comment=b"taken at home"
    )
    return output.getvalue()


def png_bytes(width: int = 24, height: int = 24) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(output, "PNG")
    return output.getvalue()


def form_url(authority) -> str:
    return reverse("public_inbox:contact", args=[authority.slug])


def filled(authority, **changes) -> dict:
    data = {
        "kind": "report",
        "category": "nid-de-poule",
        "text": POTHOLE,
        "address": "rue de Dinan",
        "latitude": "",
        "longitude": "",
        "email": "",
        "site_web": "",
        "started": form_started_token(authority, at=time.time() - 30),
    }
    data.update(changes)
    return data
