"""The photo index written to the index folder: read back whole, updated as photos come and go."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from sqlmodel import select

from moderation.models import Photo
from moderation.photos import PhotoIndex
from moderation.photos.shelf import photo_folder, photo_index
from moderation.plumbing.db import get_session

from .test_photos_core import photo, print_of

NAMES = ["astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg", "camera.png"]


@pytest.fixture(scope="module")
def prints():
    return {key: print_of(photo(name)) for key, name in enumerate(NAMES, 1)}


def test_an_index_written_and_read_back_answers_the_same(tmp_path, prints):
    index = PhotoIndex()
    index.add_many(prints.items())
    index.sort()
    query = print_of(photo("rocket.jpg").resize((320, 213)), 60)
    before = index.lookup(query)
    index.save(tmp_path / "photos.npz")
    again = PhotoIndex.load(tmp_path / "photos.npz")
    assert again.lookup(query) == before
    assert before[0][0] == NAMES.index("rocket.jpg") + 1
    assert dict(again.prints) == prints
    assert again.high_water == len(NAMES)


def test_photos_added_after_loading_are_found_and_removed_ones_are_not(tmp_path, prints):
    index = PhotoIndex()
    index.add_many((k, p) for k, p in prints.items() if k != 4)
    index.save(tmp_path / "photos.npz")
    index = PhotoIndex.load(tmp_path / "photos.npz")
    query = print_of(photo("rocket.jpg"), 70)
    assert all(key != 4 for key, _ in index.lookup(query))
    index.add(4, prints[4])
    assert index.lookup(query)[0][0] == 4
    index.remove([4])
    assert all(key != 4 for key, _ in index.lookup(query))
    assert 4 not in dict(index.prints)


def test_a_file_of_another_format_is_refused_in_words(tmp_path):
    path = tmp_path / "photos.npz"
    np.savez(path, format=np.array([1, 0]))
    with pytest.raises(ValueError, match="another version"):
        PhotoIndex.load(path)


def test_band_tables_and_waiting_rows_find_the_same_copies(prints):
    waiting, merged = PhotoIndex(), PhotoIndex()
    for index in (waiting, merged):
        index.add_many(prints.items())
    merged.sort()
    for name in ("coffee.png", "chelsea.png"):
        query = print_of(photo(name).resize((200, 150)), 60)
        assert waiting.lookup(query)[0][0] == merged.lookup(query)[0][0] == NAMES.index(name) + 1


def save_jpeg(source: str, target: Path):
    target.parent.mkdir(parents=True, exist_ok=True)
    photo(source).save(target, "JPEG", quality=92)


def test_the_desk_keeps_the_agency_index_in_its_folder_and_follows_the_database(
        runner, app, tmp_path):
    folder = tmp_path / "agency"
    save_jpeg("rocket.jpg", folder / "one" / "rocket.jpg")
    save_jpeg("coffee.png", folder / "two" / "coffee.jpg")
    assert runner.invoke(args=["photos", "import", str(folder / "one"), "--publisher", "AP"]
                         ).exit_code == 0
    path = photo_folder(app) / "agency.npz"
    with app.app_context():
        session = get_session()
        index = photo_index(session, "agency")
        assert path.exists() and len(index) == 1
        assert PhotoIndex.load(path).high_water == index.high_water
        # A photo added by another process is read from the database by id, not by a rebuild.
        assert runner.invoke(args=["photos", "import", str(folder / "two"), "--publisher", "AP"]
                             ).exit_code == 0
        again = photo_index(session, "agency")
        assert again is index and len(again) == 2
        query = print_of(photo("coffee.png").resize((300, 200)), 70)
        coffee = session.exec(select(Photo).where(Photo.source.contains("coffee"))).one()
        assert again.lookup(query)[0][0] == coffee.id
        # A photo removed from the database leaves the index.
        session.delete(coffee)
        session.commit()
        assert all(key != coffee.id for key, _ in photo_index(session, "agency").lookup(query))
        assert len(PhotoIndex.load(path)) == 1


def test_a_damaged_index_file_is_rebuilt_from_the_database(runner, app, tmp_path):
    folder = tmp_path / "agency"
    save_jpeg("chelsea.png", folder / "cat.jpg")
    path = photo_folder(app) / "agency.npz"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not an index at all")
    assert runner.invoke(args=["photos", "import", str(folder), "--publisher", "AP"]
                         ).exit_code == 0
    with app.app_context():
        app.extensions.pop("moderation.photo_indexes", None)
        index = photo_index(get_session(), "agency")
        assert len(index) == 1
        query = print_of(Image.open(folder / "cat.jpg").resize((200, 150)), 60)
        assert index.lookup(query)
    assert len(PhotoIndex.load(path)) == 1
