"""Storing answers: the public form's submission and the import both write through here."""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.tabular import staging
from surveys.models import Answer, AnswerChoice, Coding, Invitation, Question, Response


class TokenUnusable(Exception):
    """The invitation token is unknown, of another survey, or already used."""

    def __init__(self, reason):
        self.reason = reason  # "unknown" or "used"
        super().__init__(reason)


def write_answers(*, response, questions, values, categories=None):
    """Store ``values`` ({code: value}) as answer rows; blank values store nothing.

    likert → int, single → choice code, multi → list of choice codes, text → str.
    ``categories`` ({text question code: [category codes]}) become imported codings.
    """
    write_many_answers([(response, values, categories)], questions=questions)


def _answers_of(response, questions, values, categories):
    """(answer, choices, categories) of one response's values, unsaved."""
    for question in questions:
        value = values.get(question.code)
        if value in (None, "", []):
            continue
        answer = Answer(response=response, question=question)
        choices, codes = [], []
        if question.type == Question.Type.LIKERT:
            answer.likert = int(value)
        elif question.type == Question.Type.SINGLE:
            answer.choice = question.choice_by_code[value]
        elif question.type == Question.Type.TEXT:
            answer.text = value.strip()
            if not answer.text:
                continue
            codes = [question.category_by_code[c] for c in categories.get(question.code) or []]
        else:
            choices = [question.choice_by_code[code] for code in value]
        yield answer, choices, codes


def write_many_answers(items, *, questions, stage=False):
    """``write_answers`` for many saved responses at once, in three statements: ``items`` is
    [(response, values, categories)] (an import's batch). With ``stage`` (an import) on
    PostgreSQL, the answers are staged with ``COPY`` and written, with their selected choices
    and codings, by one ``INSERT … SELECT`` statement: no model instance per answer."""
    if stage and staging.available():
        _write_staged(items, questions)
        return
    rows = [
        row
        for response, values, categories in items
        for row in _answers_of(response, questions, values, categories or {})
    ]
    Answer.objects.bulk_create([answer for answer, _choices, _codes in rows])
    AnswerChoice.objects.bulk_create(
        AnswerChoice(answer=answer, choice=choice)
        for answer, choices, _codes in rows
        for choice in choices
    )
    Coding.objects.bulk_create(
        Coding(answer=answer, category=category, coder=None)
        for answer, _choices, codes in rows
        for category in codes
    )


_STAGING = "surveys_import_staging"
_STAGED_COLUMNS = (
    ("position", "integer"),
    ("response_id", "bigint"),
    ("question_id", "bigint"),
    ("likert", "smallint"),
    ("choice_id", "bigint"),
    ("text", "text"),
    ("choice_ids", "bigint[]"),
    ("category_ids", "bigint[]"),
)


def _staged_rows(items, questions):
    """The rows of ``_answers_of`` as plain values, in the same order."""
    likert, single, text = Question.Type.LIKERT, Question.Type.SINGLE, Question.Type.TEXT
    position = 0
    for response, values, categories in items:
        response_id = response.pk
        for question in questions:
            value = values.get(question.code)
            if value in (None, "", []):
                continue
            kind = question.type
            if kind == likert:
                row = (response_id, question.pk, int(value), None, "", [], [])
            elif kind == single:
                choice = question.choice_by_code[value].pk
                row = (response_id, question.pk, None, choice, "", [], [])
            elif kind == text:
                value = value.strip()
                if not value:
                    continue
                codes = (categories or {}).get(question.code) or []
                row = (
                    response_id,
                    question.pk,
                    None,
                    None,
                    value,
                    [],
                    [question.category_by_code[c].pk for c in codes],
                )
            else:
                choices = [question.choice_by_code[code].pk for code in value]
                row = (response_id, question.pk, None, None, "", choices, [])
            position += 1
            yield (position, *row)


def _write_staged(items, questions):
    quote = connection.ops.quote_name
    answers, picked, codings = (
        quote(model._meta.db_table) for model in (Answer, AnswerChoice, Coding)
    )
    same_answer = "s.response_id = new.response_id AND s.question_id = new.question_id"
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        staging.stage(
            cursor, table=_STAGING, columns=_STAGED_COLUMNS, rows=_staged_rows(items, questions)
        )
        cursor.execute(
            f"""WITH new AS (
                INSERT INTO {answers} (response_id, question_id, likert, choice_id, text)
                SELECT response_id, question_id, likert, choice_id, text FROM {_STAGING}
                ORDER BY position
                RETURNING id, response_id, question_id
            ), picked AS (
                INSERT INTO {picked} (answer_id, choice_id)
                SELECT new.id, c.choice_id FROM new JOIN {_STAGING} s ON {same_answer}
                CROSS JOIN LATERAL UNNEST(s.choice_ids) WITH ORDINALITY AS c(choice_id, n)
                ORDER BY s.position, c.n
            )
            INSERT INTO {codings} (answer_id, category_id, coder_id, verified, coded_at)
            SELECT new.id, c.category_id, NULL, FALSE, %s FROM new JOIN {_STAGING} s
                ON {same_answer}
            CROSS JOIN LATERAL UNNEST(s.category_ids) WITH ORDINALITY AS c(category_id, n)
            ORDER BY s.position, c.n""",
            [timezone.now()],
        )


def load_questions(survey):
    """The survey's questions with code lookups for their choices and categories."""
    questions = list(
        survey.questions.prefetch_related("choices", "categories").order_by("order", "pk")
    )
    for q in questions:
        q.choice_by_code = {c.code: c for c in q.choices.all()}
        q.category_by_code = {c.code: c for c in q.categories.all()}
    return questions


def submit_response(*, survey, values, token=None, now=None, form_token=None, address_hash=""):
    """Store one public-form response. With ``token``, the invitation is used exactly once.

    The invitation row is locked and marked used in the same transaction that stores the
    response, so two simultaneous submissions with one token store one response: the second
    waits for the lock, then finds the token used and raises ``TokenUnusable("used")``. The
    response keeps no trace of the token.

    ``form_token`` is the open form's one-time nonce (``surveys.protection``): a second response
    with the same nonce raises ``TokenUnusable("replayed")``, even when both arrive at once (the
    column is unique).

    The public form submits through ``surveys.services.response_submit``, which also marks the
    report's inputs changed.
    """
    with transaction.atomic():
        if token is not None:
            invitation = (
                Invitation.objects.select_for_update()
                .filter(survey=survey, token=token)
                .only("pk", "responded")
                .first()
            )
            if invitation is None:
                raise TokenUnusable("unknown")
            claimed = Invitation.objects.filter(pk=invitation.pk, responded=False).update(
                responded=True
            )
            if not claimed:
                raise TokenUnusable("used")
        if form_token is not None and Response.objects.filter(form_token=form_token).exists():
            raise TokenUnusable("replayed")
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    survey=survey,
                    submitted_at=now or timezone.now(),
                    form_token=form_token,
                    address_hash=address_hash,
                )
        except IntegrityError as exc:
            raise TokenUnusable("replayed") from exc
        write_answers(response=response, questions=load_questions(survey), values=values)
    return response


def invitation_state(*, survey, token):
    """ "ok", "used" or "unknown" for a token of ``survey`` (the form checks before showing)."""
    invitation = Invitation.objects.filter(survey=survey, token=token).only("responded").first()
    if invitation is None:
        return "unknown"
    return "used" if invitation.responded else "ok"


def category_codes_of(answer_ids):
    """{answer id: sorted category codes} over every coder."""
    codes = {}
    for answer_id, code in (
        Coding.objects.filter(answer_id__in=answer_ids)
        .values_list("answer_id", "category__code")
        .distinct()
        .order_by("answer_id", "category__order", "category__code")
    ):
        codes.setdefault(answer_id, [])
        if code not in codes[answer_id]:
            codes[answer_id].append(code)
    return codes
