"""What the editorial admins share: a malformed id is no row, never a server error."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import Http404


def _key_or_404(field: models.Field, value: str) -> None:
    try:
        field.to_python(value)
    except ValidationError:
        raise Http404(f"“{value}” is not the id of anything here.") from None


class WellFormedIdsMixin:
    """An id in an address or a query string that cannot be a key finds no row.

    Django's change view already reads one so (``get_object`` gives ``None``); the
    history views of django-simple-history, the add form's initial values from the
    query string and this app's own views would otherwise pass it to the database,
    which refuses it with a 500.
    """

    def is_key(self, object_id: str) -> bool:
        """Whether ``object_id``, as in an admin address, could be a row's key."""
        try:
            self.opts.pk.to_python(unquote(object_id))
        except ValidationError:
            return False
        return True

    def get_object_or_404(self, request, object_id: str):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} has the id “{object_id}”.")
        return obj

    def history_view(self, request, object_id, extra_context=None):
        _key_or_404(self.opts.pk, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _key_or_404(self.opts.pk, unquote(object_id))
        history = getattr(self.model, self.opts.simple_history_manager_attribute)
        _key_or_404(history.model._meta.pk, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_changeform_initial_data(self, request) -> dict:
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                continue
            if not (isinstance(field, models.Field) and field.is_relation):
                continue
            key = (
                field.related_model._meta.pk
                if field.many_to_many
                else field.target_field
            )
            try:
                for item in value if isinstance(value, list) else [value]:
                    key.to_python(item)
            except ValidationError:
                del initial[name]  # as if the link had not said
        return initial
