"""OpenAPI details drf-spectacular cannot know by itself: the error answers every
operation can give, and request bodies that refuse unknown fields."""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class FieldErrorsSerializer(serializers.Serializer):
    """Field name → list of messages (``non_field_errors`` for the whole object)."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        ref_name = None


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = {"401": "No or an invalid token.", "403": "Not allowed (e.g. a read-only token writing).",
                  "429": "Rate limit exceeded; see Retry-After."}
        if self.method in ("POST", "PUT", "PATCH") or getattr(self.view, "filterset_class", None) \
                or getattr(self.view, "action", None) == "list":
            errors["400"] = "Invalid input: field name → messages."
        if "{" in self.path:
            errors["404"] = "Not found (or not visible to this token's user)."
        elif getattr(self.view, "action", None) == "list":
            errors["404"] = "No such page (``page`` beyond the last one)."
        if self.method in ("POST", "PUT", "PATCH"):
            errors["415"] = "Unsupported media type: send JSON."
        for code, description in errors.items():
            if code not in responses:
                body = _field_errors() if code == "400" else ErrorSerializer
                responses[code] = self._get_response_for_code(OpenApiResponse(body, description=description), code)
        return responses


def _field_errors():
    """Field name → messages; nested fields (lists, dicts) nest the same way."""
    return {"type": "object", "additionalProperties": {
        "oneOf": [{"type": "array"}, {"type": "object"}, {"type": "string"}]}}


def closed_request_bodies(result, generator, request, public):
    """Request components (``…Request``) allow no other properties: the API answers an
    unknown field with 400, and the schema says so."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
        for prop in component.get("properties", {}).values():
            if prop.get("format") == "uri":
                # URL fields of the models may be empty ("" = none given)
                prop.pop("format")
                prop["description"] = (prop.get("description", "") + " An http(s) URL, or empty.").strip()
    return result
