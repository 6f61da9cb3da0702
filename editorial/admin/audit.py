"""The audit log's admin page: every change to the articles and the facts, newest
first, filtered by who, what and when (``editorial.audit``). Read-only.

Each editor sees the changes to what they may see; the page is refused to an
account that may see none of it.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.utils import timezone

from editorial.audit import audit_entries, audit_rows, audited_models

PER_PAGE = 50


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="Anyone",
        label="Who",
    )
    model = forms.ChoiceField(required=False, label="What")
    since = forms.DateField(required=False, label="From", widget=DateInput)
    until = forms.DateField(required=False, label="To", widget=DateInput)

    def __init__(self, *args, models, **kwargs):
        super().__init__(*args, **kwargs)
        self.models = {model._meta.label_lower: model for model in models}
        self.fields["model"].choices = [("", "Everything")] + [
            (label, str(model._meta.verbose_name_plural).capitalize())
            for label, model in self.models.items()
        ]
        # Whoever can change anything: editors in a group, and staff.
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(Q(is_staff=True) | Q(groups__isnull=False))
            .distinct()
            .order_by("username")
        )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError("“From” is after “To”: no day is both.")
        return cleaned

    def chosen_models(self) -> list:
        label = self.cleaned_data.get("model")
        return [self.models[label]] if label else list(self.models.values())


def audit_view(site, request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    models = audited_models(request.user)
    if not models:
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None, models=models)
    page = None
    entries = []
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        user = data.get("user")
        rows = audit_rows(
            models=form.chosen_models() if form.is_bound else models,
            user_id=user.pk if user else None,
            since=data.get("since"),
            until=data.get("until"),
        )
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
        entries = audit_entries(list(page))
    context = {
        **site.each_context(request),
        "title": "Audit log",
        "time_zone": timezone.get_current_timezone_name(),
        "form": form,
        "page": page,
        "entries": entries,
    }
    return TemplateResponse(request, "editorial/audit_log.html", context)
