"""A programme's description has an upper limit like every other free text (issue #8)."""

import pytest
from django.core.exceptions import ValidationError

from matchwerk.core.limits import PROGRAMME_DESCRIPTION_MAX_CHARS
from matchwerk.programmes.models import Programme

pytestmark = pytest.mark.django_db


def test_programme_description_of_nine_megabytes_is_refused_and_nothing_saved():
    programme = Programme(name="Cross Innovation Lausitz", description="x" * 9_000_000)
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert "höchstens 5000 Zeichen" in str(error.value.message_dict["description"][0])
    assert not Programme.objects.filter(name="Cross Innovation Lausitz").exists()


def test_programme_description_at_the_limit_is_accepted():
    programme = Programme(name="Cross Innovation Erzgebirge", slug="erzgebirge", description="x" * PROGRAMME_DESCRIPTION_MAX_CHARS)
    programme.full_clean()
    programme.save()
    assert Programme.objects.get(pk=programme.pk).description == "x" * PROGRAMME_DESCRIPTION_MAX_CHARS
