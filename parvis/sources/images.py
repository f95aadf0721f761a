"""Images for the networks: size-limited, re-encoded with Pillow (which drops EXIF and
the other metadata: GPS position, camera, author), cropped and resized to the format
each network shows best.

Formats chosen (one per network, so that a team sees one crop per image):

- Instagram: 1080 × 1350 (4:5, portrait) for a portrait image, else 1080 × 1080 (1:1).
  Instagram shows feed images 1080 pixels wide and between 4:5 and 1.91:1; the Graph
  API publishes JPEG only ("Instagram Content Publishing", Meta for Developers).
- Facebook, LinkedIn, X, Mastodon, Bluesky: 1200 × 675 (16:9). The timelines of X,
  Mastodon and Bluesky show 16:9 images uncropped, and Facebook and LinkedIn show
  landscape images full width from 1200 pixels; 16:9 is X's advice for in-stream
  images ("Media best practices", X developer documentation).

The crop keeps the centre of the image. A smaller image is cropped to the ratio but not
enlarged (enlarging blurs it; every network accepts the smaller size).

Output: JPEG (quality 85, lowered step by step if the network's size limit demands it),
or PNG for a PNG source (drawings, posters with text stay sharp), except on Instagram
(JPEG only). Colours are converted to sRGB before the colour profile is dropped.
"""

import io

import httpx
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from parvis.sources.fetch import IMAGE_TYPES, fetch

MAX_INPUT_BYTES = 15_000_000
# A decompression bomb guard: 40 megapixels is a 7,700 × 5,200 photograph.
MAX_PIXELS = 40_000_000
JPEG_QUALITIES = (85, 75, 65, 55)
LANDSCAPE = (1200, 675)
INSTAGRAM_PORTRAIT = (1080, 1350)
INSTAGRAM_SQUARE = (1080, 1080)
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}


class ImageRefused(ValueError):
    """The image cannot be used; str() is a French message."""


def target_size(network: str, width: int, height: int) -> tuple[int, int]:
    """The recommended format of `network` for an image of this size."""
    if network == "instagram":
        return INSTAGRAM_PORTRAIT if height >= width * 1.1 else INSTAGRAM_SQUARE
    return LANDSCAPE


def prepare_image(content: bytes, network: str) -> bytes:
    """`content` (JPEG, PNG, WebP or GIF) ready for `network`: see the module
    docstring. Raises ImageRefused."""
    if len(content) > MAX_INPUT_BYTES:
        raise ImageRefused(
            f"Image trop lourde (plus de {MAX_INPUT_BYTES // 1_000_000} Mo)."
        )
    image = _open(content)
    as_png = image.format == "PNG" and network != "instagram"
    image = ImageOps.exif_transpose(_first_frame(image))
    image = _to_srgb(image)
    image = _crop_resize(image, target_size(network, *image.size))
    return _encode(image, as_png=as_png, max_bytes=_max_bytes(network))


def fetch_image(url: str, *, http: httpx.Client | None = None) -> bytes:
    """The image at `url`, fetched safely (see fetch.py). Raises FetchRefused."""
    return fetch(url, accept=IMAGE_TYPES, max_bytes=MAX_INPUT_BYTES, http=http).content


def _open(content: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(content))
    except Image.DecompressionBombError as exc:
        raise ImageRefused("Image trop grande : 40 mégapixels au plus.") from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise ImageRefused("Ce fichier n'est pas une image lisible.") from exc
    if image.format not in ACCEPTED_FORMATS:
        raise ImageRefused(
            f"Format d'image non pris en charge ({image.format}) : utilisez JPEG, "
            "PNG, WebP ou GIF."
        )
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageRefused(
            f"Image trop grande ({width} × {height} pixels) : 40 mégapixels au plus."
        )
    try:
        image.load()
    except OSError as exc:
        raise ImageRefused("Cette image est abîmée ou incomplète.") from exc
    return image


def _first_frame(image: Image.Image) -> Image.Image:
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
        return image.copy()
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGB (or RGBA) pixels in sRGB, and nothing else kept from the file."""
    profile = image.info.get("icc_profile")
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if has_alpha else "RGB")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            srgb = ImageCms.createProfile("sRGB")
            converted = ImageCms.profileToProfile(
                image, source, srgb, outputMode=image.mode
            )
            if converted is not None:
                image = converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: keep the pixels as they are
    clean = image.copy()
    clean.info = {}
    return clean


def _crop_resize(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    width, height = image.size
    target_width, target_height = size
    ratio = target_width / target_height
    if width / height > ratio:  # too wide: cut the sides
        new_width = max(1, round(height * ratio))
        left = (width - new_width) // 2
        box = (left, 0, left + new_width, height)
    else:  # too tall: cut the top and bottom
        new_height = max(1, round(width / ratio))
        top = (height - new_height) // 2
        box = (0, top, width, top + new_height)
    image = image.crop(box)
    if image.width > target_width:
        image = image.resize(size, Image.Resampling.LANCZOS)
    return image


def _max_bytes(network: str) -> int:
    from parvis.connectors.registry import connector_class

    try:
        return connector_class(network).limits.max_image_bytes
    except (LookupError, ImportError, AttributeError):
        return 5_000_000


def _encode(image: Image.Image, *, as_png: bool, max_bytes: int) -> bytes:
    if as_png:
        output = io.BytesIO()
        image.save(output, format="PNG", optimize=True)
        if output.tell() <= max_bytes:
            return output.getvalue()
    if image.mode == "RGBA":
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    for quality in JPEG_QUALITIES:
        output = io.BytesIO()
        image.save(output, format="JPEG", quality=quality, optimize=True)
        if output.tell() <= max_bytes:
            return output.getvalue()
    raise ImageRefused("Image trop lourde pour ce réseau, même recompressée.")
