"""Supervisors publish standards from the web and the command line; pages show them."""
import io

import pytest
from sqlalchemy import func, select

from gi_standards import DATA_DIR
from marketplace.core.audit import AuditEntry
from marketplace.extensions import db
from marketplace.standards import services
from marketplace.standards.models import StandardVersion

LONGJING = (DATA_DIR / "longjing-tea.toml").read_text(encoding="utf-8")


@pytest.fixture
def counties(make_county):
    from gi_standards import load_counties
    from marketplace.cooperatives.models import County

    for county in load_counties():
        db.session.add(County(code=county.code, name_zh=county.name_zh, name_en=county.name_en,
                              city_zh=county.city_zh, city_en=county.city_en,
                              province_zh=county.province_zh, province_en=county.province_en))
    db.session.commit()


def upload(client, text: str, name: str = "longjing-tea.toml"):
    return client.post("/admin/standards", data={"file": (io.BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")


def version_count():
    return db.session.scalar(select(func.count()).select_from(StandardVersion))


def test_revised_file_becomes_a_new_version_and_the_old_stays(client, login, make_user, counties):
    login(make_user(supervisor=True))
    first = services.current_version("longjing-tea")
    db.session.commit()
    revised = LONGJING.replace("max = 6.5", "max = 6.3", 1)
    assert revised != LONGJING
    response = upload(client, revised)
    assert response.status_code == 302
    rows = services.versions("longjing-tea")
    assert [row.version for row in rows] == [first.version + 1, first.version]
    assert rows[0].is_current and not rows[1].is_current
    assert services.current_catalogue()["longjing-tea"].fingerprint == rows[0].fingerprint
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "standard.published"))
    assert audit.standard_version == rows[0].label


def test_identical_file_changes_nothing(client, login, make_user, counties):
    login(make_user(supervisor=True))
    services.current_version("longjing-tea")
    db.session.commit()
    upload(client, LONGJING)
    assert version_count() == 1


@pytest.mark.parametrize("bad,expected", [
    ("slug = \"x\"\nnames = {", "(file)"),
    (LONGJING.replace("max = 6.5", 'max = "dry"', 1), "max"),
    (LONGJING.replace('protected_area = [', 'protected_area = ["12345", ', 1), "protected_area"),
])
def test_bad_file_lists_problems_and_changes_nothing(client, login, make_user, counties, bad, expected):
    login(make_user(supervisor=True))
    before = services.current_catalogue()["longjing-tea"].fingerprint
    response = upload(client, bad)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "longjing-tea.toml" in page and expected in page
    assert version_count() == 0
    assert services.current_catalogue()["longjing-tea"].fingerprint == before


def test_non_toml_upload_is_refused(client, login, make_user, counties):
    login(make_user(supervisor=True))
    response = upload(client, "hello", name="notes.txt")
    assert response.status_code == 400 and version_count() == 0


def test_cli_import_checks_every_file_before_publishing(runner, counties, tmp_path):
    good = tmp_path / "longjing-tea.toml"
    good.write_text(LONGJING.replace("max = 6.5", "max = 6.4", 1), encoding="utf-8")
    bad = tmp_path / "broken.toml"
    bad.write_text("slug = 1", encoding="utf-8")
    result = runner.invoke(args=["standards", "import", str(tmp_path)])
    assert result.exit_code != 0 and "broken.toml" in result.output
    assert version_count() == 0
    bad.unlink()
    result = runner.invoke(args=["standards", "import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    listing = runner.invoke(args=["standards", "list"])
    assert "longjing-tea" in listing.output


@pytest.mark.parametrize("lang,text", [("zh", "龙井茶"), ("en", "Longjing tea")])
def test_catalogue_and_product_pages_render_in_both_languages(client, counties, lang, text):
    client.set_cookie("lang", lang)
    catalogue = client.get("/standards").get_data(as_text=True)
    assert text in catalogue
    page = client.get("/standards/longjing-tea")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert text in body and "GB/T 18650-2008" in body
    assert ("西湖区" if lang == "zh" else "Xihu") in body


def test_catalogue_filters_by_category_and_province(client, counties):
    client.set_cookie("lang", "zh")
    page = client.get("/standards?category=rice").get_data(as_text=True)
    assert "五常大米" in page and "龙井茶" not in page
    page = client.get("/standards?province=浙江省").get_data(as_text=True)
    assert "龙井茶" in page and "五常大米" not in page


def test_unknown_standard_is_404(client):
    assert client.get("/standards/no-such-thing").status_code == 404


def test_only_supervisors_publish(client, login, make_user):
    login(make_user())
    assert upload(client, LONGJING).status_code == 403
