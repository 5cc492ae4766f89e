"""Creating surveys: from a template shipped as data, or as a copy of an earlier survey."""

import json
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from surveys.models import Category, Choice, Question, Survey

TEMPLATE_DIR = Path(__file__).resolve().parent / "data"


class DefinitionError(Exception):
    pass


def template_names():
    return sorted(p.stem for p in TEMPLATE_DIR.glob("*.json"))


def load_template(name):
    path = TEMPLATE_DIR / f"{name}.json"
    if name not in template_names():
        raise DefinitionError(
            _("Unknown survey template “%(name)s”. Known templates: %(names)s")
            % {"name": name, "names": ", ".join(template_names())}
        )
    return json.loads(path.read_text(encoding="utf-8"))


# Slugs a survey cannot take: /surveys/export/ is the survey list's download.
RESERVED_SLUGS = frozenset({"export"})


def slug_taken(slug):
    return slug in RESERVED_SLUGS or Survey.objects.filter(slug=slug).exists()


def _check_slug_free(slug):
    if slug_taken(slug):
        raise DefinitionError(
            _("A survey with the slug “%(slug)s” already exists.") % {"slug": slug}
        )


@transaction.atomic
def survey_create_from_template(*, slug, template, year, corporation=None, title=None):
    """A draft survey with the questions, choices and codebooks of ``template``."""
    _check_slug_free(slug)
    data = load_template(template)
    survey = Survey.objects.create(
        slug=slug,
        year=year,
        title=title or f"{data['title_ja']} {year}",
        description=data.get("description_ja", ""),
        template=data["code"],
        corporation=corporation,
    )
    for order, q in enumerate(data["questions"], start=1):
        question = Question.objects.create(
            survey=survey,
            code=q["code"],
            type=q["type"],
            text_ja=q["text_ja"],
            text_en=q.get("text_en", ""),
            required=q.get("required", False),
            order=order * 10,
            figure=q.get("figure", ""),
            short_ja=q.get("short_ja", ""),
            short_en=q.get("short_en", ""),
        )
        Choice.objects.bulk_create(
            Choice(question=question, order=i, code=c["code"], label_ja=c["label_ja"],
                   label_en=c.get("label_en", ""))
            for i, c in enumerate(q.get("choices", []), start=1)
        )  # fmt: skip
        Category.objects.bulk_create(
            Category(question=question, order=i, code=c["code"], label_ja=c["label_ja"],
                     label_en=c.get("label_en", ""))
            for i, c in enumerate(q.get("categories", []), start=1)
        )  # fmt: skip
    return survey


@transaction.atomic
def survey_copy(*, source, slug, year, title=None):
    """A draft copy of ``source`` for another year: questions, choices and codebooks, no answers."""
    _check_slug_free(slug)
    title = title or (
        source.title.replace(str(source.year), str(year))
        if str(source.year) in source.title
        else f"{source.title} {year}"
    )
    survey = Survey.objects.create(
        slug=slug,
        year=year,
        title=title,
        description=source.description,
        template=source.template,
        corporation=source.corporation,
        allow_open_link=source.allow_open_link,
        copied_from=source,
    )
    for old in source.questions.prefetch_related("choices", "categories"):
        question = Question.objects.create(
            survey=survey,
            code=old.code,
            type=old.type,
            text_ja=old.text_ja,
            text_en=old.text_en,
            required=old.required,
            order=old.order,
            figure=old.figure,
            short_ja=old.short_ja,
            short_en=old.short_en,
        )
        Choice.objects.bulk_create(
            Choice(question=question, order=c.order, code=c.code, label_ja=c.label_ja,
                   label_en=c.label_en)
            for c in old.choices.all()
        )  # fmt: skip
        Category.objects.bulk_create(
            Category(question=question, order=c.order, code=c.code, label_ja=c.label_ja,
                     label_en=c.label_en)
            for c in old.categories.all()
        )  # fmt: skip
    return survey
