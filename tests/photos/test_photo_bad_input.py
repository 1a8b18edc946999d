"""The issue's bad input, checked again on real photographs: bombs at the desk's own limit,
CMYK and 16-bit copies still matched, a 50 MB picture read, larger ones refused in words, and
nothing unreadable lost at import."""

import io

import numpy as np
import pytest
from PIL import Image
from sqlmodel import select

from moderation.models import Photo, RawDocument
from moderation.photos import PhotoError, compare_prints, load_photo
from moderation.photos.decode import MAX_PHOTO_BYTES
from moderation.photos.prints import print_photo
from moderation.plumbing.db import get_session

from .test_photos_core import photo, print_of


def test_a_bomb_is_refused_at_the_desks_own_pixel_limit_before_decoding():
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG")  # 400 megapixels in a few kilobytes
    assert len(out.getvalue()) < 1_000_000
    with pytest.raises(PhotoError, match="decompression bomb"):
        load_photo(out.getvalue())


def test_a_cmyk_copy_of_a_photo_is_matched_to_the_original():
    out = io.BytesIO()
    photo("coffee.png").convert("CMYK").save(out, "JPEG", quality=85)
    loaded = load_photo(out.getvalue())
    match = compare_prints(print_photo(loaded.image, (loaded.width, loaded.height)),
                           print_of(photo("coffee.png")))
    assert match is not None and match.is_copy


def test_a_16_bit_scan_of_a_photo_is_matched_to_the_original():
    grey = np.asarray(photo("camera.png").convert("L"), dtype=np.uint16) * 257
    out = io.BytesIO()
    Image.fromarray(grey).save(out, "PNG")  # 16-bit greyscale PNG
    loaded = load_photo(out.getvalue())
    assert loaded.image.mode == "L"
    match = compare_prints(print_photo(loaded.image), print_of(photo("camera.png")))
    assert match is not None and match.is_copy


def test_a_50_mb_picture_is_read_and_a_larger_file_refused_in_words():
    # Noise does not compress: a 4,200 x 4,200 colour PNG of it is over 50 MB.
    rng = np.random.default_rng(50)
    noise = rng.integers(0, 256, (4200, 4200, 3), dtype=np.uint8)
    noise[:, :2100] //= 2  # a left half darker than the right, so the print has a shape
    out = io.BytesIO()
    Image.fromarray(noise).save(out, "PNG", compress_level=1)
    data = out.getvalue()
    assert len(data) > 50 * 2**20
    loaded = load_photo(data)
    assert (loaded.width, loaded.height) == (4200, 4200)
    assert max(loaded.image.size) <= 256
    with pytest.raises(PhotoError, match="larger than 64 MB"):
        load_photo(data + b"\0" * (MAX_PHOTO_BYTES - len(data) + 1))


def test_unreadable_pictures_are_kept_with_why_and_nothing_else_is_lost(runner, app, tmp_path):
    folder = tmp_path / "agency"
    folder.mkdir()
    photo("rocket.jpg").save(folder / "good.jpg", "JPEG")
    (folder / "drawing.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    (folder / "phone.heic").write_bytes(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 64)
    good = (folder / "good.jpg").read_bytes()
    (folder / "cut.jpg").write_bytes(good[:200])
    (folder / "notes.jpg").write_bytes(b"this is a letter, not a picture" * 5)
    result = runner.invoke(args=["photos", "import", str(folder), "--publisher", "AP"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    with app.app_context():
        session = get_session()
        photos = {p.source.rsplit("/", 1)[-1]: p for p in session.exec(select(Photo))}
        kept = {raw.sha256 for raw in session.exec(select(RawDocument))}
    assert set(photos) == {"good.jpg", "drawing.svg", "phone.heic", "cut.jpg", "notes.jpg"}
    assert photos["good.jpg"].fingerprint is not None and photos["good.jpg"].error is None
    assert "SVG" in photos["drawing.svg"].error
    assert "HEIC" in photos["phone.heic"].error
    assert "not a picture format" in photos["notes.jpg"].error
    assert photos["cut.jpg"].error
    # Every file's bytes are kept, readable or not, so nothing is lost.
    assert all(p.sha256 in kept for p in photos.values())
