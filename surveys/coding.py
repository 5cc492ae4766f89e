"""Free-text coding: coders assign codebook categories to descriptions and verify them."""

import re

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from surveys.models import Answer, Category, Coding


class CodingError(Exception):
    pass


def descriptions(question):
    """The non-blank descriptions of a free-text question, annotated with whether coded."""
    return (
        Answer.objects.filter(question=question)
        .exclude(text="")
        .annotate(
            is_coded=Exists(Coding.objects.filter(answer=OuterRef("pk"))),
            is_verified=Exists(Coding.objects.filter(answer=OuterRef("pk"), verified=True)),
        )
        .order_by("response__submitted_at", "pk")
    )


def progress(question):
    """(coded, total) descriptions of the question."""
    answers = descriptions(question)
    return answers.filter(is_coded=True).count(), answers.count()


@transaction.atomic
def codes_set(*, answer, coder, categories, verified):
    """Make ``coder``'s categories of ``answer`` exactly ``categories``, verified or not."""
    wanted = {c.pk for c in categories}
    if any(c.question_id != answer.question_id for c in categories):
        raise CodingError(_("A category of another question was given."))
    Coding.objects.filter(answer=answer, coder=coder).exclude(category_id__in=wanted).delete()
    for category in categories:
        Coding.objects.update_or_create(
            answer=answer, category=category, coder=coder, defaults={"verified": verified}
        )
    if verified:
        # Verifying a description confirms every code it carries, imported ones included.
        Coding.objects.filter(answer=answer).update(verified=True)


def category_add(*, question, code, label_ja, label_en=""):
    code = code.strip()
    if not re.fullmatch(r"[a-z0-9_]+", code):
        raise CodingError(_("Use lower-case letters, digits and “_” for a category code."))
    if question.categories.filter(code=code).exists():
        raise CodingError(_("The codebook already has the code “%(code)s”.") % {"code": code})
    order = question.categories.order_by("-order").values_list("order", flat=True).first() or 0
    return Category.objects.create(
        question=question, code=code, label_ja=label_ja.strip(), label_en=label_en.strip(),
        order=order + 1,
    )  # fmt: skip
