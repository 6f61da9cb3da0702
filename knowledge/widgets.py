"""Choice widgets for the tables' filter forms, rendered in Python.

A filter form lists every nutrient, symptom and category as an option. Django
renders each option through three template includes, which cost more than the rest
of a table page; these widgets write the same markup as Django's own templates
(``select.html``, ``select_option.html``, ``multiple_input.html``,
``input_option.html``, ``attrs.html``) directly. Every value and label is escaped.
"""

from __future__ import annotations

from django import forms
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def attributes(attrs: dict) -> str:
    """`` name="value"`` for each attribute; True as a bare name, False left out."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {name}" if value is True else f' {name}="{escape(value)}"')
    return "".join(parts)


class PythonRenderedMixin:
    """Render without templates, and without building a context per option.

    The options are read straight from ``choices``, with Django's rules for which
    are selected and which attributes each option gets; option groups are not
    used by the filters, and take Django's own path.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        choices = list(iter(self.choices))  # one query for a model field, no count
        if any(isinstance(label, list | tuple) for _value, label in choices):
            widget = self.get_context(name, value, attrs)["widget"]
            return mark_safe(self.render_widget(widget))
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = set(self.format_value(value))
        options, has_selected = [], False
        for index, (option_value, label) in enumerate(choices):
            option_value = "" if option_value is None else option_value
            selected = (not has_selected or self.allow_multiple_selected) and str(
                option_value
            ) in chosen
            has_selected |= selected
            option_attrs = dict(attrs) if self.option_inherits_attrs else {}
            if selected:
                option_attrs.update(self.checked_attribute)
            if "id" in option_attrs:
                option_attrs["id"] = self.id_for_label(option_attrs["id"], index)
            options.append(
                {
                    "name": name,
                    "value": option_value,
                    "label": label,
                    "attrs": option_attrs,
                    "type": self.input_type,
                    "wrap_label": True,
                }
            )
        widget = {"name": name, "attrs": attrs, "optgroups": [(None, options, 0)]}
        return mark_safe(self.render_widget(widget))


class Select(PythonRenderedMixin, forms.Select):
    def render_widget(self, widget: dict) -> str:
        options = []
        for group, choices, _index in widget["optgroups"]:
            items = "".join(
                f'\n  <option value="{escape(option["value"])}"'
                f"{attributes(option['attrs'])}>{escape(option['label'])}</option>"
                for option in choices
            )
            options.append(
                f'\n  <optgroup label="{escape(group)}">{items}\n  </optgroup>'
                if group
                else items
            )
        return (
            f'<select name="{escape(widget["name"])}"'
            f"{attributes(widget['attrs'])}>{''.join(options)}\n</select>"
        )


class SelectMultiple(Select, forms.SelectMultiple):
    pass


class CheckboxSelectMultiple(PythonRenderedMixin, forms.CheckboxSelectMultiple):
    def render_widget(self, widget: dict) -> str:
        attrs = widget["attrs"]
        groups = []
        for group, choices, _index in widget["optgroups"]:
            items = "".join(f"<div>\n    {self.option(o)}</div>" for o in choices)
            groups.append(
                f"\n  <div><label>{escape(group)}</label>{items}\n  </div>"
                if group
                else items
            )
        opening = "<div"
        if attrs.get("id"):
            opening += f' id="{escape(attrs["id"])}"'
        if attrs.get("class"):
            opening += f' class="{escape(attrs["class"])}"'
        return f"{opening}>{''.join(groups)}\n</div>"

    @staticmethod
    def option(option: dict) -> str:
        value = option["value"]
        checkbox = (
            f'<input type="{option["type"]}" name="{escape(option["name"])}"'
            + ("" if value is None else f' value="{escape(value)}"')
            + f"{attributes(option['attrs'])}>"
        )
        if not option["wrap_label"]:
            return checkbox
        target = option["attrs"].get("id")
        label_for = f' for="{escape(target)}"' if target else ""
        return f"<label{label_for}>{checkbox} {escape(option['label'])}</label>"
