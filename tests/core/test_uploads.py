"""The one upload stack, through the pages that use it: photos, lab reports, GI documents.

Images that declare too many pixels or frames are refused from their header: the files
below carry pixel data that is not even valid, so a refusal naming pixels or frames (not
damage) proves nothing was decoded.
"""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageCms, PngImagePlugin
from sqlalchemy import func, select

from marketplace.catalog.models import Batch, ListingPhoto
from marketplace.certification.models import AuthorizationDocument
from marketplace.extensions import db
from tests.certification.conftest import as_user, certified_world  # noqa: F401 (fixtures)
from tests.seller.test_batches import batch_form
from tests.seller.test_listings import listing_form
from tests.support.factories_catalog import image_bytes, upload
from tests.support.factories_certification import PDF_BYTES, png_bytes

GPS = {1: "N", 2: (30.0, 15.0, 7.0), 3: "E", 4: (120.0, 9.0, 1.0)}
TAKEN_AT = "2025:04:02 10:00:00"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def declared_png(width: int, height: int, frames: int | None = None) -> bytes:
    """A PNG whose header declares width × height (and maybe animation frames) over junk pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    animation = _chunk(b"acTL", struct.pack(">II", frames, 0)) if frames else b""
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + animation
            + _chunk(b"IDAT", b"not deflate data at all" * 40) + _chunk(b"IEND", b""))


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x0132] = TAKEN_AT
    exif[0x8825] = GPS
    return exif.tobytes()


def srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def jpeg_with_everything(size=(2000, 1500)) -> bytes:
    """A JPEG carrying GPS EXIF, a comment, XMP and an ICC profile."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 120, 60)).save(
        buffer, "JPEG", exif=gps_exif(), comment=b"farm-secret-comment",
        xmp=b"<x:xmpmeta>farm-secret-xmp</x:xmpmeta>", icc_profile=srgb_icc())
    return buffer.getvalue()


def png_with_everything(size=(800, 600)) -> bytes:
    """A PNG carrying GPS EXIF, text comments (plain, compressed, international) and XMP."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "farm-secret-comment")
    info.add_text("comment", "farm-secret-lowercase")
    info.add_text("Description", "farm-secret-zip", zip=True)
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>farm-secret-xmp</x:xmpmeta>")
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 120, 60)).save(buffer, "PNG", pnginfo=info, exif=gps_exif())
    return buffer.getvalue()


def post_listing(client, cooperative, files):
    data = listing_form(cooperative)
    data["photos"] = [upload(content, name) for content, name in files]
    return client.post("/seller/listings/new", data=data, content_type="multipart/form-data")


def photo_files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"]) / "photos"
    return sorted(folder.iterdir()) if folder.exists() else []


def assert_bare(data: bytes) -> None:
    for secret in (b"farm-secret", b"Exif", b"ICC_PROFILE", b"http://ns.adobe.com/xap"):
        assert secret not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not ({"exif", "comment", "xmp", "icc_profile"} & set(image.info))


# --- Pixels and frames, refused from the header ------------------------------------------

def test_eight_photos_of_40_megapixels_are_refused_together_before_any_is_decoded(
        client, login, seller_world, app):
    world = seller_world()
    login(world["member"])
    files = [(declared_png(6300, 6300), f"big-{n}.png") for n in range(8)]
    response = post_listing(client, world["cooperative"], files)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "too many pixels together" in page and 'id="photos-errors"' in page
    assert photo_files(app) == [] and db.session.scalar(select(func.count(ListingPhoto.id))) == 0


def test_the_request_budget_counts_images_that_each_pass_alone(client, login, seller_world, app):
    world = seller_world()
    login(world["member"])
    app.config["UPLOAD_REQUEST_MAX_PIXELS"] = 1_000_000
    response = post_listing(client, world["cooperative"], [(image_bytes("PNG", size=(800, 800)), "a.png"),
                                                           (image_bytes("PNG", size=(800, 800)), "b.png")])
    assert response.status_code == 400 and "too many pixels together" in response.get_data(as_text=True)
    app.config["UPLOAD_REQUEST_MAX_PIXELS"] = 2_000_000
    response = post_listing(client, world["cooperative"], [(image_bytes("PNG", size=(800, 800)), "a.png"),
                                                           (image_bytes("PNG", size=(800, 800)), "b.png")])
    assert response.status_code == 302


def test_one_image_over_the_limit_per_file_is_refused_by_name(client, login, seller_world, app):
    world = seller_world()
    login(world["member"])
    response = post_listing(client, world["cooperative"], [(declared_png(7000, 7000), "huge.png")])
    assert response.status_code == 400
    assert "huge.png has too many pixels (at most 40 megapixels)." in response.get_data(as_text=True)
    assert photo_files(app) == []


def test_an_image_declaring_a_thousand_frames_is_refused_from_its_header(client, login, seller_world, app):
    world = seller_world()
    login(world["member"])
    response = post_listing(client, world["cooperative"], [(declared_png(100, 100, frames=1000), "anim.png")])
    assert response.status_code == 400
    assert "anim.png holds too many frames (at most 4)." in response.get_data(as_text=True)
    assert photo_files(app) == []


def test_a_real_animated_png_within_the_frame_limit_keeps_its_first_frame(client, login, seller_world, app):
    world = seller_world()
    login(world["member"])
    frames = [Image.new("RGB", (64, 64), color) for color in ((200, 0, 0), (0, 200, 0))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "PNG", save_all=True, append_images=frames[1:])
    assert post_listing(client, world["cooperative"], [(buffer.getvalue(), "two.png")]).status_code == 302


def test_an_image_that_takes_longer_than_the_time_limit_is_refused(client, login, seller_world, app):
    world = seller_world()
    login(world["member"])
    app.config["UPLOAD_IMAGE_SECONDS"] = 0
    response = post_listing(client, world["cooperative"], [(image_bytes("PNG", size=(1200, 900)), "slow.png")])
    assert response.status_code == 400
    assert "slow.png took too long to read" in response.get_data(as_text=True)
    assert photo_files(app) == []
    app.config["UPLOAD_IMAGE_SECONDS"] = 5
    response = post_listing(client, world["cooperative"], [(image_bytes("PNG", size=(1200, 900)), "slow.png")])
    assert response.status_code == 302


# --- Metadata ---------------------------------------------------------------------------

@pytest.mark.parametrize("make, name", [(jpeg_with_everything, "farm.jpg"), (png_with_everything, "farm.png")])
def test_public_photos_keep_no_exif_gps_comment_xmp_or_icc(client, login, seller_world, app, make, name):
    world = seller_world()
    login(world["member"])
    original = make()
    assert b"farm-secret" in original or b"x\x9c" in original
    assert post_listing(client, world["cooperative"], [(original, name)]).status_code == 302
    files = photo_files(app)
    assert len(files) == 2  # full size and thumbnail
    for path in files:
        assert_bare(path.read_bytes())


def test_a_lab_report_photo_loses_its_gps_position_but_keeps_its_date(client, login, seller_world, app):
    world = seller_world()
    login(world["member"])
    original = jpeg_with_everything((600, 800))
    data = batch_form(world["cooperative"], lab_report=upload(original, "report.jpg"))
    response = client.post("/seller/batches/new?product=longjing-tea", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    batch = db.session.scalar(select(Batch))
    assert batch.lab_report_mime == "image/jpeg"
    kept = (Path(app.config["UPLOAD_FOLDER"]) / "lab-reports" / batch.lab_report_file).read_bytes()
    with Image.open(io.BytesIO(kept)) as image:
        exif = image.getexif()
        assert exif.get_ifd(0x8825) == {} and 0x8825 not in exif
        assert exif.get(0x0132) == TAKEN_AT
        assert "xmp" not in image.info and "comment" not in image.info
        assert image.size == (600, 800)


def test_a_lab_report_pdf_is_kept_byte_for_byte(client, login, seller_world, app):
    world = seller_world()
    login(world["member"])
    data = batch_form(world["cooperative"], lab_report=upload(PDF_BYTES, "report.pdf"))
    client.post("/seller/batches/new?product=longjing-tea", data=data, content_type="multipart/form-data")
    batch = db.session.scalar(select(Batch))
    assert (Path(app.config["UPLOAD_FOLDER"]) / "lab-reports" / batch.lab_report_file).read_bytes() == PDF_BYTES


def apply(client, cooperative, origin, form, form_name="form.jpg"):
    return client.post("/seller/certification/apply", data={
        "cooperative_id": str(cooperative.id), "standard_slug": "longjing-tea", "statement": "Village tea.",
        "origin_report": (io.BytesIO(origin), "origin.pdf"), "application_form": (io.BytesIO(form), form_name),
    }, content_type="multipart/form-data")


def test_a_certification_document_image_loses_its_gps_position(client, login, make_user, make_cooperative, app):
    seller = make_user()
    cooperative = make_cooperative(seller)
    login(seller)
    response = apply(client, cooperative, PDF_BYTES, png_with_everything())
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    documents = {d.mime_type: d for d in db.session.scalars(select(AuthorizationDocument))}
    folder = Path(app.config["UPLOAD_FOLDER"]) / "certification"
    assert (folder / documents["application/pdf"].stored_name).read_bytes() == PDF_BYTES
    image_document = documents["image/png"]
    kept = (folder / image_document.stored_name).read_bytes()
    assert b"farm-secret" not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert image.getexif().get_ifd(0x8825) == {}
    assert image_document.size_bytes == len(kept)


def test_documents_of_one_application_share_the_pixel_budget(client, login, make_user, make_cooperative, app):
    seller = make_user()
    cooperative = make_cooperative(seller)
    login(seller)
    app.config["UPLOAD_REQUEST_MAX_PIXELS"] = 30_000_000
    response = apply(client, cooperative, declared_png(5000, 4000), declared_png(5000, 4000), "scan.png")
    assert response.status_code == 400
    assert "too many pixels together" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AuthorizationDocument.id))) == 0


def test_a_certification_document_over_the_size_limit_is_refused_on_its_field(
        client, login, make_user, make_cooperative, app):
    seller = make_user()
    cooperative = make_cooperative(seller)
    login(seller)
    app.config["CERTIFICATION_DOCUMENT_MAX_BYTES"] = 2048
    big_pdf = PDF_BYTES[:-6] + b"%" * 5000 + PDF_BYTES[-6:]
    response = apply(client, cooperative, big_pdf, png_bytes(), "form.png")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="origin_report-errors"' in page and "larger than 2 KB" in page


# --- File names -------------------------------------------------------------------------

def test_a_document_name_with_control_and_direction_characters_is_stored_clean_and_downloads(
        client, login, make_user, make_cooperative):
    seller = make_user()
    cooperative = make_cooperative(seller)
    login(seller)
    response = apply(client, cooperative, PDF_BYTES, png_bytes(), "form\x07\u202egnp.exe\x1b.png")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    document = db.session.scalar(select(AuthorizationDocument).where(AuthorizationDocument.mime_type == "image/png"))
    assert document.original_name == "formgnp.exe.png"
    download = client.get(f"/seller/certification/documents/{document.id}")
    assert download.status_code == 200
    download.close()


@pytest.mark.parametrize("name", ["origin\x07.pdf", "a\nb.pdf", "\u202efdp.pdf", "\x1f\x7f"])
def test_a_document_stored_before_names_were_cleaned_still_downloads(certified_world, as_user, make_user, name):  # noqa: F811
    world = certified_world
    world.document.original_name = name
    db.session.commit()
    for client, url in ((as_user(world.seller), f"/seller/certification/documents/{world.document.id}"),
                        (as_user(make_user(supervisor=True)), f"/official/documents/{world.document.id}")):
        response = client.get(url)
        assert response.status_code == 200
        disposition = response.headers["Content-Disposition"]
        assert not any(ord(ch) < 32 or 0x202A <= ord(ch) <= 0x202E for ch in disposition)
        response.close()
