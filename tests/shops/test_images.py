"""Merchants' photos: the decoder decides, not a scan of the bytes.

Genuine camera pictures (EXIF, 4000×3000, noisy content whose compressed data looks
random) are accepted even when their bytes happen to contain ``<a `` or ``<img``;
polyglot files are accepted only as the picture they decode to, re-encoded, with the
hidden payload left behind; files that are no PNG, JPEG or WebP are refused in French.
"""
from __future__ import annotations

import io
import random
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from shops.services import profile as shop_profile
from shops.images import HEIC_UNREADABLE, NOT_AN_IMAGE, image_validated
from tests.factories import ShopFactory

pytestmark = pytest.mark.django_db

PAYLOAD = b'<html><body><script>alert("halle-payload")</script></body></html>'
#: What the old byte scan looked for: any of these inside a file refused it.
MARKUP_LOOKALIKE = re.compile(rb"<\s*(?:html|script|svg|body|iframe|!doctype|\?xml|head|img|a\s)", re.IGNORECASE)


def camera_jpeg(*, seed: int, size=(4000, 3000), orientation: int = 1) -> bytes:
    """A phone-like JPEG: 4000×3000, camera EXIF with a GPS position, grainy content (random
    noise, smoothed a little, like a photo's texture) so its compressed data is high entropy."""
    rng = random.Random(seed)
    grain = (size[0] // 8, size[1] // 8)
    picture = Image.frombytes("RGB", grain, rng.randbytes(grain[0] * grain[1] * 3)).resize(size, Image.BICUBIC)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Halle Phone"
    exif[ExifTags.Base.Model] = "HP 12"
    exif[ExifTags.Base.DateTime] = "2026:05:14 10:21:07"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2026:05:14 10:21:07"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 5.0, 31.2)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 44.0, 12.9)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


def camera_jpeg_looking_like_markup(*, start_seed: int = 1) -> bytes:
    """The first camera JPEG (by seed) whose compressed bytes contain what the old scan refused."""
    for seed in range(start_seed, start_seed + 20):
        data = camera_jpeg(seed=seed)
        if MARKUP_LOOKALIKE.search(data):
            return data
    raise AssertionError("no generated photo contains a markup look-alike: the test would prove nothing")


def encoded(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **params)
    return out.getvalue()


def small_picture(mode: str = "RGB", size=(64, 48)) -> Image.Image:
    rng = random.Random(7)
    return Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * len(mode)))


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def stored(photo) -> bytes:
    with photo.image.open("rb") as handle:
        return handle.read()


# --- genuine pictures ---------------------------------------------------------------


def test_camera_jpegs_whose_bytes_look_like_markup_are_accepted_upright_and_without_exif():
    shop = ShopFactory()
    original = camera_jpeg_looking_like_markup()
    assert len(original) < 10 * 1024 * 1024 and Image.open(io.BytesIO(original)).size == (4000, 3000)

    photo = shop_profile.shop_photo_add(shop=shop, upload=upload(original, "IMG_2041.JPG"), alt_text="La vitrine")

    data = stored(photo)
    with Image.open(io.BytesIO(data)) as saved:
        assert (saved.format, saved.size) == ("JPEG", (4000, 3000))
        assert not saved.getexif()  # camera, date and GPS position gone
    assert photo.image.name.endswith(".jpg") and (photo.width, photo.height) == (4000, 3000)
    assert b"Halle Phone" not in data


def test_a_photo_taken_with_the_phone_upright_is_stored_upright():
    landscape_sensor = camera_jpeg(seed=3, size=(800, 600), orientation=6)  # "rotate 90° clockwise to view"

    content = image_validated(upload=upload(landscape_sensor, "portrait.jpg"))

    with Image.open(content) as saved:
        assert saved.size == (600, 800)
        assert not saved.getexif()


def test_the_back_office_photo_page_accepts_a_camera_jpeg(client):
    from tests.factories.backoffice import merchant

    user, shop = merchant(role="owner")
    client.force_login(user)
    original = camera_jpeg_looking_like_markup(start_seed=40)

    response = client.post(reverse("backoffice:photos"), {
        "image": SimpleUploadedFile("IMG_0007.jpeg", original, content_type="image/jpeg"), "alt_text": "Le comptoir",
    })

    assert response.status_code == 302, response.content.decode()[:2000]
    assert shop.photos.get().width == 4000


@pytest.mark.parametrize(
    ("data", "name", "fmt", "mode"),
    [
        pytest.param(encoded(small_picture(), "PNG"), "logo.png", "PNG", "RGB", id="png"),
        pytest.param(encoded(small_picture("RGBA"), "PNG"), "logo.png", "PNG", "RGBA", id="png-transparent"),
        pytest.param(encoded(small_picture("L"), "PNG"), "gris.png", "PNG", "L", id="png-grey"),
        pytest.param(encoded(small_picture().convert("P"), "PNG", transparency=0), "palette.png", "PNG", "RGBA",
                     id="png-palette-transparent"),
        pytest.param(encoded(small_picture(), "WEBP", quality=80), "photo.webp", "WEBP", "RGB", id="webp"),
        pytest.param(encoded(small_picture("RGBA"), "WEBP", lossless=True), "photo.webp", "WEBP", "RGBA",
                     id="webp-transparent"),
        pytest.param(encoded(small_picture("CMYK"), "JPEG"), "imprimeur.jpg", "JPEG", "RGB", id="jpeg-cmyk"),
        pytest.param(encoded(small_picture(), "MPO", save_all=True, append_images=[small_picture()]),
                     "appareil.jpg", "JPEG", "RGB", id="jpeg-multi-picture"),
    ],
)
def test_png_webp_and_jpeg_variants_are_accepted_and_re_encoded(data, name, fmt, mode):
    content = image_validated(upload=upload(data, name))

    with Image.open(content) as saved:
        assert (saved.format, saved.mode, saved.size) == (fmt, mode, (64, 48))


@pytest.mark.parametrize(
    "profile",
    [ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(), b"not a colour profile at all"],
    ids=["srgb", "unreadable"],
)
def test_a_colour_profile_is_applied_then_dropped(profile):
    picture = Image.new("RGB", (64, 48), (200, 40, 30))

    content = image_validated(upload=upload(encoded(picture, "PNG", icc_profile=profile), "teinte.png"))

    with Image.open(content) as saved:
        assert "icc_profile" not in saved.info
        assert all(abs(a - b) <= 2 for a, b in zip(saved.getpixel((10, 10)), (200, 40, 30)))


def test_heic_is_refused_in_french_unless_pillow_here_reads_it():
    heic_header = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    assert "HEIF" not in Image.registered_extensions().values()  # no HEIF plugin here: refused, said so
    with pytest.raises(ValidationError) as error:
        image_validated(upload=upload(heic_header, "IMG_1234.HEIC"))
    assert error.value.messages == [HEIC_UNREADABLE]


# --- polyglots: the picture is kept, the payload never --------------------------------


def _jpeg_with_comment(comment: bytes) -> bytes:
    return encoded(small_picture(), "JPEG", comment=comment)


def _jpeg_with_exif_and_xmp(payload: bytes) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.ImageDescription] = payload.decode()
    return encoded(small_picture(), "JPEG", exif=exif.tobytes(), xmp=b"<x:xmpmeta>" + payload + b"</x:xmpmeta>")


def _png_with_text(payload: bytes) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", payload.decode())
    info.add_itxt("Description", payload.decode())
    return encoded(small_picture(), "PNG", pnginfo=info)


def _with_profile_payload(fmt: str, payload: bytes) -> bytes:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes() + payload
    return encoded(small_picture(), fmt, icc_profile=profile)


def _with_zip(data: bytes) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as jar:
        jar.writestr("Exploit.class", PAYLOAD)
    return data + archive.getvalue()


POLYGLOTS = [
    pytest.param(encoded(small_picture(), "JPEG") + PAYLOAD, "a.jpg", id="jpeg-html-after-the-end"),
    pytest.param(_jpeg_with_comment(PAYLOAD), "a.jpg", id="jpeg-html-in-comment"),
    pytest.param(_jpeg_with_exif_and_xmp(PAYLOAD), "a.jpg", id="jpeg-html-in-exif-and-xmp"),
    pytest.param(_with_profile_payload("JPEG", PAYLOAD), "a.jpg", id="jpeg-html-in-icc-profile"),
    pytest.param(_with_zip(encoded(small_picture(), "JPEG")), "a.jpg", id="jpeg-jar"),
    pytest.param(encoded(small_picture(), "PNG") + PAYLOAD, "a.png", id="png-html-after-the-end"),
    pytest.param(_png_with_text(PAYLOAD), "a.png", id="png-html-in-text-chunks"),
    pytest.param(_with_profile_payload("PNG", PAYLOAD), "a.png", id="png-html-in-icc-profile"),
    pytest.param(encoded(small_picture(), "WEBP", exif=b"Exif\x00\x00" + PAYLOAD, xmp=PAYLOAD), "a.webp",
                 id="webp-html-in-exif-and-xmp"),
    pytest.param(encoded(small_picture(), "WEBP") + PAYLOAD, "a.webp", id="webp-html-after-the-end"),
]


def carries_payload(data: bytes) -> bool:
    """The payload is in the file as is, or in what Pillow reads of it (a zlib-packed PNG chunk)."""
    if PAYLOAD in data or b"Exploit.class" in data:
        return True
    with Image.open(io.BytesIO(data)) as picture:
        return any(PAYLOAD in (v if isinstance(v, bytes) else str(v).encode()) for v in picture.info.values())


@pytest.mark.parametrize(("data", "name"), POLYGLOTS)
def test_a_polyglot_is_stored_as_its_picture_only(data, name):
    assert carries_payload(data)  # the payload is really in the upload
    shop = ShopFactory()

    photo = shop_profile.shop_photo_add(shop=shop, upload=upload(data, name), alt_text="Vitrine")

    saved = stored(photo)
    assert b"halle-payload" not in saved and b"<script" not in saved.lower() and b"Exploit.class" not in saved
    assert b"PK\x03\x04" not in saved
    with Image.open(io.BytesIO(saved)) as picture:
        assert picture.size == (64, 48)
        assert not picture.info.get("comment") and "icc_profile" not in picture.info
    assert not carries_payload(saved)


def _gifar() -> bytes:
    return _with_zip(encoded(small_picture().convert("P"), "GIF"))


NOT_IMAGES = [
    pytest.param(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                 "vitrine.jpg", id="svg-renamed-jpg"),
    pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "vitrine.png", id="svg-renamed-png"),
    pytest.param(PAYLOAD, "vitrine.jpg", id="html-renamed-jpg"),
    pytest.param(b"\xff\xd8\xff\xe0" + PAYLOAD, "vitrine.jpg", id="html-behind-a-jpeg-signature"),
    pytest.param(_gifar(), "vitrine.gif", id="gifar"),
    pytest.param(encoded(small_picture().convert("P"), "GIF"), "anime.gif", id="gif"),
    pytest.param(encoded(small_picture(), "JPEG")[:300], "coupee.jpg", id="truncated-jpeg"),
    pytest.param(encoded(small_picture(), "TIFF"), "scan.jpg", id="tiff-renamed-jpg"),
    pytest.param(b"", "vide.jpg", id="empty"),
]


@pytest.mark.parametrize(("data", "name"), NOT_IMAGES)
def test_what_is_no_png_jpeg_or_webp_is_refused_in_french_and_nothing_is_stored(data, name):
    shop = ShopFactory()

    with pytest.raises(ValidationError) as error:
        shop_profile.shop_photo_add(shop=shop, upload=upload(data, name), alt_text="Vitrine")

    assert error.value.messages == [NOT_AN_IMAGE]
    assert not shop.photos.exists()
