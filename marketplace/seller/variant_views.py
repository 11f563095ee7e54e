"""Seller pages for a listing's sizes: add one, change one, retire or delete one.

The forms live on the listing's edit page; each posts here and comes back to it. A refusal
is shown on that page with the field it names, and nothing changes.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from marketplace.core.permissions import seller_required
from marketplace.catalog import services as catalog
from marketplace.core.errors import DomainError
from marketplace.catalog.models import live_variants
from marketplace.catalog.pricing import format_price
from marketplace.catalog.services.variants import VariantDetails, add_variant, remove_variant, update_variant
from marketplace.certification.services.badge import badge_for
from marketplace.core.form_errors import show_error
from marketplace.core.i18n import current_language
from marketplace.seller import services
from marketplace.seller.views import bp
from marketplace.seller.variant_forms import VariantForm


def variant_forms(listing, failed: VariantForm | None = None, failed_id: int | None = None) -> list:
    """(variant, its form) for every size on sale, filled with today's figures."""
    rows = []
    for variant in live_variants(listing):
        if failed is not None and variant.id == failed_id:
            rows.append((variant, failed))
            continue
        form = VariantForm(prefix=f"v{variant.id}", formdata=None, data={
            "label": variant.label, "price": format_price(variant.price_minor),
            "weight_grams": variant.weight_grams, "stock": variant.stock, "stock_seen": str(variant.stock)})
        rows.append((variant, form))
    return rows


def _details(form: VariantForm) -> VariantDetails:
    return VariantDetails(label=form.label.data or "", price=form.price.data or "", stock=form.stock.data,
                          weight_grams=form.weight_grams.data)


def _listing_page(listing_id: int, *, new_form: VariantForm | None = None, failed: VariantForm | None = None,
                  failed_id: int | None = None):
    """The listing's edit page again, showing the refused size form (status 400)."""
    from marketplace.seller.forms import ListingForm

    listing = catalog.listing_for_member(current_user, listing_id) or abort(404)
    form = ListingForm(obj=listing, formdata=None)
    form.set_batch_choices(services.batch_choices(listing.cooperative_id, current_language()))
    form.set_province_choices()
    form.fill_from(listing)
    return render_template("seller/listing_form.html", form=form, cooperative=listing.cooperative, listing=listing,
                           badge=badge_for(listing), variant_forms=variant_forms(listing, failed, failed_id),
                           new_variant_form=new_form or VariantForm(prefix="new", formdata=None),
                           max_photos=current_app.config["PHOTO_MAX_COUNT"]), 400


def _back(listing_id: int):
    return redirect(url_for("seller.edit_listing", listing_id=listing_id) + "#sizes")


@bp.post("/listings/<int:listing_id>/sizes")
@seller_required
def add_size(listing_id: int):
    form = VariantForm(prefix="new")
    if not form.validate_on_submit():
        return _listing_page(listing_id, new_form=form)
    try:
        add_variant(current_user, listing_id, _details(form))
    except DomainError as error:
        show_error(form, error)
        return _listing_page(listing_id, new_form=form)
    flash(_("Size added."), "success")
    return _back(listing_id)


@bp.post("/listings/<int:listing_id>/sizes/<int:variant_id>")
@seller_required
def edit_size(listing_id: int, variant_id: int):
    form = VariantForm(prefix=f"v{variant_id}")
    if not form.validate_on_submit():
        return _listing_page(listing_id, failed=form, failed_id=variant_id)
    try:
        update_variant(current_user, listing_id, variant_id, _details(form), stock_seen=form.stock_seen_value())
    except DomainError as error:
        show_error(form, error)
        return _listing_page(listing_id, failed=form, failed_id=variant_id)
    flash(_("Size saved."), "success")
    return _back(listing_id)


@bp.post("/listings/<int:listing_id>/sizes/<int:variant_id>/remove")
@seller_required
def remove_size(listing_id: int, variant_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        outcome = remove_variant(current_user, listing_id, variant_id)
    except DomainError as error:
        show_error(None, error)  # a refusal or a missing size answers 403 or 404
        return _back(listing_id)
    flash(_("Size retired: orders keep it, shoppers no longer see it.") if outcome == "retired"
          else _("Size deleted."), "success")
    return _back(listing_id)
