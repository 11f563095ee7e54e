"""Listing photos: checked from their content, re-encoded without EXIF, thumbnailed, limited."""
import io
import struct
import zlib
from pathlib import Path

from PIL import Image
from sqlalchemy import func, select

from marketplace.catalog.models import Listing, ListingPhoto
from marketplace.extensions import db
from tests.seller.test_listings import listing_form
from tests.support.factories_catalog import image_bytes, upload


def huge_png(width: int = 20000, height: int = 20000) -> bytes:
    """A real, valid 1-bit PNG of width × height pixels that compresses to a few dozen KB."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row * 500) for _ in range(height // 500)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def post_listing(client, cooperative, files, **overrides):
    data = listing_form(cooperative, **overrides)
    data["photos"] = [upload(content, name) for content, name in files]
    return client.post("/seller/listings/new", data=data, content_type="multipart/form-data")


def photo_count() -> int:
    return db.session.scalar(select(func.count(ListingPhoto.id)))


def stored(app, name: str) -> Path:
    return Path(app.config["UPLOAD_FOLDER"]) / "photos" / name


def test_photos_are_re_encoded_without_exif_and_thumbnailed(client, login, seller_world, app):
    world = seller_world()
    login(world["member"])
    original = image_bytes("JPEG", size=(2400, 1800), exif={0x010F: "SecretCam", 0x0110: "Model X",
                                                            0x0131: "leaky-software 1.0"})
    assert b"SecretCam" in original and Image.open(io.BytesIO(original)).getexif()
    response = post_listing(client, world["cooperative"], [(original, "farm.jpg"), (image_bytes("PNG"), "b.png")])
    assert response.status_code == 302
    photos = db.session.scalars(select(ListingPhoto).order_by(ListingPhoto.position)).all()
    assert len(photos) == 2 and [p.position for p in photos] == [0, 1]
    first = photos[0]
    full, thumb = stored(app, first.filename).read_bytes(), stored(app, first.thumbnail).read_bytes()
    assert b"SecretCam" not in full and b"leaky-software" not in full
    with Image.open(io.BytesIO(full)) as image:
        assert image.format == "JPEG" and not image.getexif()
        assert max(image.size) == app.config["PHOTO_MAX_SIDE"] and (first.width, first.height) == image.size
    with Image.open(io.BytesIO(thumb)) as image:
        assert max(image.size) == app.config["PHOTO_THUMBNAIL_SIDE"]
    assert first.filename != "farm.jpg" and first.filename.endswith(".jpg")
    assert stored(app, photos[1].filename).read_bytes()[:3] == b"\xff\xd8\xff"  # the PNG became a JPEG


def test_a_text_file_named_photo_jpg_is_refused(client, login, seller_world):
    world = seller_world()
    login(world["member"])
    response = post_listing(client, world["cooperative"], [(b"I am not a picture at all.\n", "photo.jpg")])
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="photos-errors"' in page and "photo.jpg is not a JPEG, PNG or WebP image." in page
    assert db.session.scalar(select(func.count(Listing.id))) == 0


def test_a_20000_by_20000_png_is_refused_as_too_many_pixels(client, login, seller_world, app):
    bomb = huge_png()
    assert len(bomb) < 200_000
    world = seller_world()
    login(world["member"])
    response = post_listing(client, world["cooperative"], [(bomb, "field.png")])
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="photos-errors"' in page and "field.png has too many pixels" in page
    assert photo_count() == 0
    folder = Path(app.config["UPLOAD_FOLDER"]) / "photos"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_truncated_image_is_refused(client, login, seller_world):
    world = seller_world()
    login(world["member"])
    broken = image_bytes("PNG", size=(300, 300))[:200]
    response = post_listing(client, world["cooperative"], [(broken, "cut.png")])
    assert response.status_code == 400
    assert "cut.png is damaged or incomplete and cannot be read." in response.get_data(as_text=True)


def test_more_than_eight_photos_are_refused(client, login, seller_world, make_listing):
    world = seller_world()
    login(world["member"])
    nine = [(image_bytes(color=(i * 20, 90, 40)), f"p{i}.jpg") for i in range(9)]
    response = post_listing(client, world["cooperative"], nine)
    assert response.status_code == 400 and "at most 8 photos" in response.get_data(as_text=True)
    assert photo_count() == 0
    # Eight at once are fine; one more later is refused, and nothing of that save is kept.
    assert post_listing(client, world["cooperative"], nine[:8]).status_code == 302
    listing = db.session.scalar(select(Listing))
    data = listing_form(world["cooperative"], title=listing.title, stock_seen=str(listing.stock), price="99")
    data["photos"] = [upload(*nine[8])]
    response = client.post(f"/seller/listings/{listing.id}/edit", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and "it has 8 already" in response.get_data(as_text=True)
    db.session.refresh(listing)
    assert photo_count() == 8 and listing.price_minor == 1250


def test_public_photos_are_served_with_long_cache_headers(client, login, seller_world, app):
    world = seller_world()
    login(world["member"])
    post_listing(client, world["cooperative"], [(image_bytes(), "a.jpg")], status="active")
    photo = db.session.scalar(select(ListingPhoto))
    client.post("/logout")
    for name in (photo.filename, photo.thumbnail):
        with client.get(f"/media/photos/{name}") as response:
            assert response.status_code == 200 and response.mimetype == "image/jpeg"
            assert "max-age=31536000" in response.headers["Cache-Control"]
            assert "public" in response.headers["Cache-Control"]
    assert client.get("/media/photos/../secret_key").status_code == 404
    assert client.get("/media/photos/" + "0" * 32 + ".jpg").status_code == 404


def test_photos_of_a_draft_are_only_for_its_cooperative(client, login, seller_world, app):
    world = seller_world()
    login(world["member"])
    post_listing(client, world["cooperative"], [(image_bytes(), "a.jpg")], status="draft")
    photo = db.session.scalar(select(ListingPhoto))
    with client.get(f"/media/photos/{photo.filename}") as response:
        assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    client.post("/logout")
    assert client.get(f"/media/photos/{photo.filename}").status_code == 404
    login(world["other_member"])
    assert client.get(f"/media/photos/{photo.thumbnail}").status_code == 404


def test_removing_a_photo_removes_its_files(client, login, seller_world, app):
    world = seller_world()
    login(world["member"])
    post_listing(client, world["cooperative"], [(image_bytes(), "a.jpg"), (image_bytes(), "b.jpg")])
    listing = db.session.scalar(select(Listing))
    photo = db.session.scalar(select(ListingPhoto).order_by(ListingPhoto.position))
    files = [stored(app, photo.filename), stored(app, photo.thumbnail)]
    assert client.post(f"/seller/listings/{listing.id}/photos/{photo.id}/delete").status_code == 302
    assert photo_count() == 1 and not any(path.exists() for path in files)
    login(world["other_member"])
    other = db.session.scalar(select(ListingPhoto))
    assert client.post(f"/seller/listings/{listing.id}/photos/{other.id}/delete").status_code == 404
    assert photo_count() == 1
