import io

import pytest
from PIL import Image

from parvis.sources.images import ImageRefused, fetch_image, prepare_image
from parvis.sources.tests.conftest import SITE


def photo(
    width: int, height: int, *, fmt: str = "JPEG", mode: str = "RGB", **save
) -> bytes:
    image = Image.new(mode, (width, height), (30, 110, 160) if mode == "RGB" else None)
    output = io.BytesIO()
    image.save(output, format=fmt, **save)
    return output.getvalue()


def with_gps_exif(width: int = 4000, height: int = 3000) -> bytes:
    image = Image.new("RGB", (width, height), (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "Appareil de la mairie"  # Make
    exif[0x013B] = "Agent Dupont"  # Artist
    exif.get_ifd(0x8825)[2] = (48.0, 38.0, 56.0)  # GPSLatitude
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return output.getvalue()


def opened(content: bytes) -> Image.Image:
    return Image.open(io.BytesIO(content))


@pytest.mark.parametrize(
    "network", ["facebook", "linkedin", "x", "mastodon", "bluesky"]
)
def test_landscape_networks_get_1200_by_675(network):
    result = opened(prepare_image(photo(4000, 3000), network))
    assert result.size == (1200, 675)
    assert result.format == "JPEG"


def test_instagram_gets_a_portrait_4_5_or_a_square_jpeg():
    assert opened(prepare_image(photo(3000, 4000), "instagram")).size == (1080, 1350)
    assert opened(prepare_image(photo(4000, 3000), "instagram")).size == (1080, 1080)
    poster = photo(2480, 3508, fmt="PNG")  # an A4 poster
    result = opened(prepare_image(poster, "instagram"))
    assert result.format == "JPEG" and result.size == (1080, 1350)


def test_metadata_is_stripped_by_re_encoding():
    original = opened(with_gps_exif())
    assert original.getexif().get(0x013B) == "Agent Dupont"
    result = opened(prepare_image(with_gps_exif(), "x"))
    assert not result.getexif()
    assert "exif" not in result.info and "icc_profile" not in result.info


def test_the_orientation_tag_is_applied_before_it_is_dropped():
    image = Image.new("RGB", (4000, 3000), (0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90°: the photo is really a portrait
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)
    assert opened(prepare_image(output.getvalue(), "instagram")).size == (1080, 1350)


def test_a_png_stays_png_and_transparency_is_flattened_for_instagram():
    logo = photo(1600, 900, fmt="PNG", mode="RGBA")
    assert opened(prepare_image(logo, "mastodon")).format == "PNG"
    result = opened(prepare_image(logo, "instagram"))
    assert result.format == "JPEG" and result.mode == "RGB"


def test_a_small_image_is_cropped_to_the_ratio_but_not_enlarged():
    result = opened(prepare_image(photo(800, 800), "facebook"))
    assert result.size == (800, 450)


def test_files_that_are_not_images_or_too_heavy_are_refused():
    with pytest.raises(ImageRefused, match="pas une image"):
        prepare_image(b"%PDF-1.7 deliberation", "x")
    with pytest.raises(ImageRefused, match="trop lourde"):
        prepare_image(b"\xff\xd8" + b"0" * 16_000_000, "x")


def test_a_decompression_bomb_is_refused():
    # 10,000 x 10,000 pixels of one colour: a few kilobytes, 100 megapixels once open.
    bomb = photo(10_000, 10_000, fmt="PNG", mode="L")
    assert len(bomb) < 1_000_000
    with pytest.raises(ImageRefused, match="mégapixels"):
        prepare_image(bomb, "x")


def test_images_are_fetched_through_the_safe_fetcher(site):
    site.serve(f"{SITE}/media/fete.jpg", photo(2000, 1500), content_type="image/jpeg")
    assert opened(fetch_image(f"{SITE}/media/fete.jpg", http=site.client())).size == (
        2000,
        1500,
    )
    from parvis.sources.fetch import FetchRefused

    with pytest.raises(FetchRefused):
        fetch_image("http://169.254.169.254/image.jpg", http=site.client())
