"""Free-text coding: the descriptions of a question and how far their coding is.

Coders assign codebook categories and verify them through ``surveys.services`` (``codes_set``,
``category_add``)."""

from django.db.models import Exists, OuterRef

from surveys.models import Answer, Coding


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
