"""The photo core: reading pictures safely, prints, kinds of copy, and the lookup index."""

import io
from pathlib import Path

import pytest
from PIL import Image, ImageEnhance, ImageOps

from moderation.photos import PhotoError, PhotoIndex, PhotoPrint, compare_prints, load_photo
from moderation.photos.prints import print_photo

skimage = pytest.importorskip("skimage")
DATA = Path(skimage.__file__).parent / "data"


def photo(name: str) -> Image.Image:
    return Image.open(DATA / name).convert("RGB")


def jpeg(image: Image.Image, quality: int = 85) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def print_of(image: Image.Image, quality: int = 85) -> PhotoPrint:
    loaded = load_photo(jpeg(image, quality))
    return print_photo(loaded.image, (loaded.width, loaded.height))


def test_a_resized_recompressed_copy_is_found_as_resized():
    original = photo("astronaut.png")
    copy = original.resize((256, 256), Image.Resampling.LANCZOS)
    match = compare_prints(print_of(copy, 50), print_of(original, 95))
    assert match is not None and match.kind == "resized"
    assert match.similarity > 0.95


def test_a_mirrored_copy_is_found_as_mirrored():
    original = photo("coffee.png")
    match = compare_prints(print_of(ImageOps.mirror(original)), print_of(original))
    assert match is not None and match.kind == "mirrored"


def test_a_brightened_copy_is_edited_not_same():
    original = photo("chelsea.png")
    match = compare_prints(print_of(ImageEnhance.Brightness(original).enhance(1.2)),
                           print_of(original))
    assert match is not None and match.is_copy and match.kind != "same"


def test_the_other_camera_of_a_stereo_pair_is_similar_not_a_copy():
    left, right = print_of(photo("motorcycle_left.png")), print_of(photo("motorcycle_right.png"))
    match = compare_prints(right, left)
    assert match is not None
    assert match.kind == "similar" and not match.is_copy


def test_distinct_photographs_do_not_match():
    names = ["astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg", "camera.png"]
    prints = [print_of(photo(name)) for name in names]
    for a, first in enumerate(prints):
        for second in prints[a + 1:]:
            match = compare_prints(first, second)
            assert match is None or not match.is_copy


def test_a_print_is_under_one_kilobyte_and_survives_storage():
    stored = print_of(photo("rocket.jpg"))
    data = stored.to_bytes()
    assert len(data) <= 1024
    assert PhotoPrint.from_bytes(data) == stored


def test_the_index_finds_the_original_of_a_copy_among_others():
    index = PhotoIndex()
    names = ["astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg", "camera.png"]
    for key, name in enumerate(names):
        index.add(key, print_of(photo(name)))
    query = print_of(photo("rocket.jpg").resize((320, 213)), 60)
    matches = index.lookup(query)
    assert matches and matches[0][0] == names.index("rocket.jpg")
    assert matches[0][1].is_copy


def test_an_unrelated_picture_finds_nothing():
    index = PhotoIndex()
    index.add(1, print_of(photo("astronaut.png")))
    assert index.lookup(print_of(photo("coins.png"))) == []


def test_svg_is_refused_with_a_reason():
    with pytest.raises(PhotoError, match="SVG"):
        load_photo(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>')


def test_heic_is_refused_with_a_clear_message():
    data = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    with pytest.raises(PhotoError, match="HEIC"):
        load_photo(data)


def test_corrupt_and_empty_files_are_refused_with_a_reason():
    with pytest.raises(PhotoError, match="not a picture format"):
        load_photo(b"this is not an image at all" * 10)
    with pytest.raises(PhotoError, match="empty"):
        load_photo(b"")


def test_a_truncated_jpeg_is_read_as_far_as_it_goes():
    data = jpeg(photo("astronaut.png"))
    loaded = load_photo(data[: len(data) * 2 // 3])
    assert loaded.width == 512
    assert any("cut off" in note for note in loaded.warnings)


def test_a_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("L", (4000, 4000)).save(out, "PNG")  # 16 megapixels in a few kilobytes
    with pytest.raises(PhotoError, match="decompression bomb"):
        load_photo(out.getvalue(), max_pixels=10_000_000)


def test_an_animated_gif_is_read_from_its_first_frame():
    frames = [Image.new("RGB", (64, 64), colour) for colour in ("red", "blue", "green")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    loaded = load_photo(out.getvalue())
    assert loaded.image.convert("RGB").getpixel((10, 10))[0] > 200
    assert any("first frame" in note for note in loaded.warnings)


def test_cmyk_and_16_bit_pictures_are_read():
    out = io.BytesIO()
    photo("coffee.png").convert("CMYK").save(out, "JPEG")
    assert load_photo(out.getvalue()).image.mode == "RGB"
    out = io.BytesIO()
    Image.new("I;16", (50, 40), 40000).save(out, "PNG")
    grey = load_photo(out.getvalue()).image
    assert grey.mode == "L" and 140 < grey.getpixel((5, 5)) < 170


def test_exif_rotation_is_applied():
    original = photo("rocket.jpg")  # 640 x 427, landscape
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: turn 90 degrees clockwise to view
    out = io.BytesIO()
    original.rotate(90, expand=True).save(out, "JPEG", exif=exif.tobytes())
    loaded = load_photo(out.getvalue())
    assert loaded.image.width > loaded.image.height
    match = compare_prints(print_photo(loaded.image), print_of(original))
    assert match is not None and match.is_copy
