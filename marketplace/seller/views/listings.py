"""Seller pages for listings: write them, add and remove photos, publish or pause."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from marketplace.core.permissions import seller_required
from marketplace.catalog import services as catalog
from marketplace.catalog.labels import status_label

from marketplace.certification.services.badge import badge_for, badges_for
from marketplace.core.errors import DomainError
from marketplace.core.form_errors import show_error
from marketplace.core.i18n import current_language
from marketplace.core.uploads import read_upload
from marketplace.seller import services
from marketplace.seller.views import bp
from marketplace.seller.views.common import working_cooperative
from marketplace.seller.forms import ListingForm, StatusForm
from marketplace.seller.variant_forms import VariantForm
from marketplace.seller.variant_views import variant_forms


def _details(form: ListingForm) -> catalog.ListingDetails:
    return catalog.ListingDetails(
        title=form.title.data or "", description=form.description.data or "",
        category=form.category.data, price=form.price.data or "", unit=form.unit.data or "",
        stock=form.stock.data, status=form.status.data, weight_grams=form.weight_grams.data,
        batch_id=form.batch_id_value(), terms=form.terms(), title_en=form.title_en.data or "",
        description_en=form.description_en.data or "")


def _photos(form: ListingForm):
    limit = current_app.config["PHOTO_MAX_BYTES"]
    return [read_upload(storage, limit) for storage in form.uploads()]


@bp.get("/listings")
@seller_required
def listings():
    cooperative = working_cooperative()
    rows = catalog.listings_of(cooperative.id)
    return render_template("seller/listings.html", cooperative=cooperative, listings=rows,
                           badges=badges_for(rows), notes=services.listing_notes(rows))


@bp.route("/listings/new", methods=["GET", "POST"])
@seller_required
def new_listing():
    cooperative = working_cooperative()
    form = ListingForm()
    form.set_batch_choices(services.batch_choices(cooperative.id, current_language()))
    form.set_province_choices()
    if not form.is_submitted():
        form.cooperative_id.data = str(cooperative.id)
        form.status.data = "draft"
    if form.validate_on_submit():
        try:
            listing = catalog.create_listing(current_user, cooperative.id, _details(form), _photos(form))
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Listing saved."), "success")
            return redirect(url_for("seller.edit_listing", listing_id=listing.id))
    return render_template("seller/listing_form.html", form=form, cooperative=cooperative, listing=None,
                           max_photos=current_app.config["PHOTO_MAX_COUNT"]), 400 if form.errors else 200


@bp.route("/listings/<int:listing_id>/edit", methods=["GET", "POST"])
@seller_required
def edit_listing(listing_id: int):
    listing = catalog.listing_for_member(current_user, listing_id) or abort(404)
    form = ListingForm(obj=listing) if request.method != "POST" else ListingForm()
    form.set_batch_choices(services.batch_choices(listing.cooperative_id, current_language()))
    form.set_province_choices()
    if not form.is_submitted():
        form.fill_from(listing)
        form.photos.data = []
    if form.validate_on_submit():
        try:
            listing = catalog.update_listing(current_user, listing_id, _details(form), _photos(form),
                                             stock_seen=form.stock_seen_value())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Listing saved."), "success")
            return redirect(url_for("seller.edit_listing", listing_id=listing.id))
    return render_template("seller/listing_form.html", form=form, cooperative=listing.cooperative,
                           listing=listing, badge=badge_for(listing), variant_forms=variant_forms(listing),
                           new_variant_form=VariantForm(prefix="new", formdata=None),
                           max_photos=current_app.config["PHOTO_MAX_COUNT"]), 400 if form.errors else 200


@bp.post("/listings/<int:listing_id>/status")
@seller_required
def listing_status(listing_id: int):
    """Publish, pause or mark sold out from the list, with the same rules as the form."""
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        listing = catalog.set_listing_status(current_user, listing_id, form.status.data)
    except DomainError as error:
        show_error(None, error)
    else:
        flash(_("“%(title)s” is now %(status)s.", title=listing.title, status=status_label(listing.status)),
              "success")
    return redirect(url_for("seller.listings"))


@bp.post("/listings/<int:listing_id>/photos/<int:photo_id>/delete")
@seller_required
def delete_photo(listing_id: int, photo_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    catalog.remove_photo(current_user, listing_id, photo_id)
    flash(_("Photo removed."), "success")
    return redirect(url_for("seller.edit_listing", listing_id=listing_id))
