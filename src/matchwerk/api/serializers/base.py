"""Shared parts of the API's serializers.

Writes validate exactly like the pages: the DRF fields check types, then the app's own
Django form (the one the page uses) checks the values, and its ``cleaned_data`` is what
the app's service receives. Form errors come back as 400 with field errors; unknown
fields are refused (400), not silently ignored.
"""

from __future__ import annotations

import copy

from django import forms
from django.db import models
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


def _raw(value):
    """A converted DRF value back into what a Django form's field takes."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)) or hasattr(value, "all") and not isinstance(value, str):
        items = value.all() if hasattr(value, "all") else value
        return [_raw(item) for item in items]
    if value is None:
        return ""
    return value


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know (a typo must not be silently dropped)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError({name: [_("Unbekanntes Feld.")] for name in unknown})
        return super().to_internal_value(data)


class FormValidated(StrictSerializer):
    """A serializer whose values go through ``form_class`` (the page's form).

    ``form_kwargs()`` gives extra arguments of the form; after ``is_valid()``
    ``self.cleaned`` holds the form's ``cleaned_data`` for the service.
    """

    form_class = None

    def form_kwargs(self) -> dict:
        return {}

    def validate(self, attrs):
        form_class = self.form_class
        data = {}
        if self.instance is not None:
            names = [name for name in form_class.base_fields if hasattr(self.instance, name)]
            data = {name: _raw(value) for name, value in model_to_dict(self.instance, fields=names).items()}
        elif issubclass(form_class, forms.ModelForm):
            # what the page's form shows pre-filled (the model's defaults) counts as sent
            model = form_class._meta.model
            for name in form_class.base_fields:
                try:
                    model_field = model._meta.get_field(name)
                except Exception:  # a form-only field
                    continue
                if model_field.has_default() and not model_field.many_to_many:
                    data[name] = _raw(model_field.get_default())
        data.update({name: _raw(value) for name, value in attrs.items()})
        if issubclass(form_class, forms.ModelForm):
            # a copy: a model form writes the values onto its instance while it validates
            form = form_class(data=data, instance=copy.copy(self.instance), **self.form_kwargs())
        else:
            form = form_class(data=data, **self.form_kwargs())
        if not form.is_valid():
            raise serializers.ValidationError({
                ("non_field_errors" if name == "__all__" else name): list(errors)
                for name, errors in form.errors.items()})
        self.form = form
        self.cleaned = form.cleaned_data
        return attrs


class ModelFormValidated(FormValidated, serializers.ModelSerializer):
    pass
