"""Errors as JSON: Django's ``ValidationError`` from a service becomes 400 with field
errors (``{"field": ["message"], "non_field_errors": [...]}``), like DRF's own."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD = "non_field_errors"


def validation_detail(error: DjangoValidationError, *, fields=None) -> dict:
    """Field errors of a Django ``ValidationError``; errors of fields the client did not
    send (or of the whole object) go under ``non_field_errors``."""
    if not hasattr(error, "error_dict"):
        return {NON_FIELD: list(error.messages)}
    detail: dict[str, list] = {}
    for field, errors in error.message_dict.items():
        key = field if field != "__all__" and (fields is None or field in fields) else NON_FIELD
        detail.setdefault(key, []).extend(errors)
    return detail


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_detail(exc))
    return drf_exception_handler(exc, context)
