"""The API's view base: scoped querysets, one serializer to read and one to write.

``scope(user)`` (from ``api.scopes``) narrows every list and every detail to what the
user may see; a write validates with the write serializer (which runs the page's form)
and calls the app's service, which asks the app's rules again (403 when they fail).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response


@csrf_exempt
def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": gettext("Nicht gefunden.")}, status=404)


class ScopedViewSet(viewsets.GenericViewSet):
    lookup_value_regex = "[0-9]+"
    scope = None             # user -> queryset of what she may see
    model = None
    write_serializer_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.optimise(type(self).scope(self.request.user))

    def optimise(self, queryset):
        return queryset

    def read(self, obj, *, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(obj).data, status=code)

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update") and self.write_serializer_class:
            return self.write_serializer_class
        return self.serializer_class

    def get_serializer(self, *args, **kwargs):
        kwargs.setdefault("context", self.get_serializer_context())
        return self.serializer_class(*args, **kwargs)

    def get_write_serializer(self, *args, **kwargs):
        kwargs.setdefault("context", self.get_serializer_context())
        return self.write_serializer_class(*args, **kwargs)

    @staticmethod
    def require(rule, user, obj=None) -> None:
        if hasattr(rule, "test"):
            passed = rule.test(user, obj) if obj is not None else rule.test(user)
        else:
            passed = rule(user, obj) if obj is not None else rule(user)
        if not passed:
            raise PermissionDenied


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    pass


class WriteMixin:
    """create / update / partial_update / destroy through ``perform_*`` service calls.

    The rights are asked before the body is read (``create_rule(user)``,
    ``edit_rule(user, obj)``, ``delete_rule(user, obj)``): a request that may not write
    gets 403 whatever it sends; the services ask again."""

    create_rule = None
    edit_rule = None
    delete_rule = None

    def create(self, request, *args, **kwargs):
        if self.create_rule is not None:
            self.require(type(self).create_rule, request.user)
        serializer = self.get_write_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.perform_service_create(serializer)
        return self.read(self.get_queryset().get(pk=obj.pk), code=status.HTTP_201_CREATED)

    def update(self, request, *args, partial: bool = False, **kwargs):
        obj = self.get_object()
        if self.edit_rule is not None:
            self.require(type(self).edit_rule, request.user, obj)
        serializer = self.get_write_serializer(obj, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_service_update(serializer, obj)
        return self.read(self.get_queryset().get(pk=obj.pk))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        obj = self.get_object()
        if self.delete_rule is not None:
            self.require(type(self).delete_rule, request.user, obj)
        self.perform_service_destroy(obj)
        return Response(status=status.HTTP_204_NO_CONTENT)
