"""Upper limits of free texts, kept in one place (documented in docs/profiles.md, "Limits").

Character fields carry their ``max_length``; long texts (``TextField``) get ``max_length``
(the form and the browser's ``maxlength``) *and* :class:`TextLimitValidator`, because
Django does not enforce a text field's ``max_length`` at the model level — services
(``full_clean``) and the import then refuse overlong texts as well.
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# "Über uns" of an organisation: about two pages.
ABOUT_MAX_CHARS = 5000
# The description of one need or offer.
STATEMENT_DESCRIPTION_MAX_CHARS = 3000
# The description of a programme (funding programme, network programme).
PROGRAMME_DESCRIPTION_MAX_CHARS = 5000
# A match's idea and goal statement, written by the match.
MATCH_IDEA_MAX_CHARS = 3000
# One journal entry of a match.
JOURNAL_ENTRY_MAX_CHARS = 5000
# Needs, and separately offers, per organisation.
STATEMENTS_MAX_PER_ORGANISATION = 50


@deconstructible(path="matchwerk.core.limits.TextLimitValidator")
class TextLimitValidator(MaxLengthValidator):
    message = _("Dieser Text ist zu lang: erlaubt sind höchstens %(limit_value)d Zeichen, er hat %(show_value)d.")
    code = "text_too_long"
