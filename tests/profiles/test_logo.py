"""Logo upload: real images of allowed types and size only, served from MEDIA_URL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matchwerk.profiles.forms import OrganisationForm


def _form_data(organisation):
    return {"name": organisation.name, "kind": organisation.kind, "region": organisation.region_id}


def test_logo_upload_is_stored_and_shown(client, cast, media_root, make_image):
    client.force_login(cast["member"])
    logo = SimpleUploadedFile("logo.png", make_image("PNG"), content_type="image/png")
    response = client.post(reverse("profiles:organisation_edit", args=[cast["listed"].pk]),
                           {**_form_data(cast["listed"]), "logo": logo})
    assert response.status_code == 302
    cast["listed"].refresh_from_db()
    assert cast["listed"].logo.name.startswith("logos/")
    assert (media_root / cast["listed"].logo.name).is_file()
    body = client.get(reverse("profiles:organisation_detail", args=[cast["listed"].pk])).content.decode()
    assert cast["listed"].logo.url in body and cast["listed"].logo.url.startswith("/media/")


def test_logo_replaced_removes_old_file(client, cast, media_root, make_image, django_capture_on_commit_callbacks):
    client.force_login(cast["member"])
    url = reverse("profiles:organisation_edit", args=[cast["listed"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**_form_data(cast["listed"]),
                          "logo": SimpleUploadedFile("a.png", make_image("PNG"), content_type="image/png")})
    cast["listed"].refresh_from_db()
    old = media_root / cast["listed"].logo.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**_form_data(cast["listed"]),
                          "logo": SimpleUploadedFile("b.jpg", make_image("JPEG"), content_type="image/jpeg")})
    cast["listed"].refresh_from_db()
    assert not old.exists() and (media_root / cast["listed"].logo.name).is_file()


def test_logo_too_large_is_rejected(cast, settings, make_image, media_root):
    settings.LOGO_MAX_BYTES = 100
    data = make_image("PNG", size=(300, 300))
    assert len(data) > 100
    form = OrganisationForm(_form_data(cast["listed"]),
                            {"logo": SimpleUploadedFile("big.png", data, content_type="image/png")},
                            instance=cast["listed"])
    assert not form.is_valid() and "zu groß" in form.errors["logo"][0]


def test_logo_that_is_not_an_image_is_rejected(cast, media_root):
    form = OrganisationForm(_form_data(cast["listed"]),
                            {"logo": SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>",
                                                        content_type="image/png")},
                            instance=cast["listed"])
    assert not form.is_valid() and "logo" in form.errors


def test_logo_in_disallowed_format_is_rejected(cast, media_root, make_image):
    form = OrganisationForm(_form_data(cast["listed"]),
                            {"logo": SimpleUploadedFile("logo.bmp", make_image("BMP"), content_type="image/bmp")},
                            instance=cast["listed"])
    assert not form.is_valid() and "logo" in form.errors


def test_mislabelled_upload_is_stored_and_served_by_its_content(client, cast, media_root, make_image):
    client.force_login(cast["member"])
    gif = SimpleUploadedFile("logo.pdf", make_image("GIF"), content_type="application/pdf")
    response = client.post(reverse("profiles:organisation_edit", args=[cast["listed"].pk]),
                           {**_form_data(cast["listed"]), "logo": gif})
    assert response.status_code == 302
    cast["listed"].refresh_from_db()
    name = cast["listed"].logo.name
    assert name.startswith("logos/logo") and name.endswith(".gif") and ".pdf" not in name
    # Served the way /media/ is served in development (the URL's document root is fixed
    # at start-up; this test's MEDIA_ROOT is a temporary folder).
    from django.test import RequestFactory
    from django.views.static import serve

    served = serve(RequestFactory().get(cast["listed"].logo.url), name, document_root=media_root)
    assert served.status_code == 200 and served["Content-Type"] == "image/gif"


def test_service_stores_a_logo_by_its_content_too(cast, media_root, make_image):
    from django.core.exceptions import ValidationError

    from matchwerk.profiles import services

    upload = SimpleUploadedFile("bild.exe", make_image("PNG"), content_type="application/octet-stream")
    services.organisation_update(actor=cast["member"], organisation=cast["listed"], logo=upload)
    cast["listed"].refresh_from_db()
    assert cast["listed"].logo.name.endswith(".png")
    with pytest.raises(ValidationError):
        services.organisation_update(actor=cast["member"], organisation=cast["listed"],
                                     logo=SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image"))
