"""A model field for a set of vocabulary codes (disability types, service types…)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChoiceListField(models.JSONField):
    """A sorted, duplicate-free list of codes from one vocabulary, stored as JSON."""

    def __init__(self, *args, choices_enum=None, **kwargs):
        self.choices_enum = choices_enum
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices_enum"] = self.choices_enum
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if self.choices_enum is None:
            return
        unknown = [code for code in value or [] if code not in self.choices_enum.values]
        if unknown:
            raise ValidationError(
                _("Unknown code(s): %(codes)s"), params={"codes": ", ".join(unknown)}
            )

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname) or []
        value = sorted(set(value))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        from django import forms

        if self.choices_enum is None:
            return super().formfield(**kwargs)
        return forms.TypedMultipleChoiceField(
            choices=self.choices_enum.choices,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )


def choice_labels(enum, codes):
    """The translated labels of a list of codes, in vocabulary order."""
    labels = dict(enum.choices)
    return [labels[c] for c in enum.values if c in (codes or [])]
