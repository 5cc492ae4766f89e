"""Free-text coding: the questions to code, coding one question's descriptions, and adding a
category to its codebook."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import Actor
from surveys import access, coding, selectors, services
from surveys.forms import CategoryForm
from surveys.models import Question


def coding_index(request, survey_slug):
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    rows = selectors.coding_overview(survey=survey)
    return render(request, "surveys/coding_index.html", {"survey": survey, "rows": rows})


def _text_question_or_404(survey, code):
    return get_object_or_404(Question, survey=survey, code=code, type=Question.Type.TEXT)


def coding_question(request, survey_slug, question_code):
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    question = _text_question_or_404(survey, question_code)
    answers = coding.descriptions(question)
    categories = list(question.categories.all())
    if request.method == "POST":
        answer = get_object_or_404(answers, pk=request.POST.get("answer"))
        chosen = [c for c in categories if str(c.pk) in request.POST.getlist("categories")]
        services.codes_set(
            answer=answer,
            categories=chosen,
            verified=bool(request.POST.get("verified")),
            actor=Actor.from_request(request),
        )
        messages.success(request, _("The codes were saved."))
        next_answer = answers.filter(is_coded=False).exclude(pk=answer.pk).first()
        target = reverse("survey_coding_question", args=[survey.slug, question.code])
        if next_answer is not None:
            target += f"?answer={next_answer.pk}"
        return redirect(target)

    current = None
    if request.GET.get("answer", "").isdigit():
        current = answers.filter(pk=request.GET["answer"]).first()
    if current is None:
        current = answers.filter(is_coded=False).first() or answers.first()
    mine, others = selectors.codings_of(answer=current, user=request.user)
    listing = answers
    show = request.GET.get("show", "")
    if show == "uncoded":
        listing = listing.filter(is_coded=False)
    elif show == "unverified":
        listing = listing.filter(is_verified=False)
    page = Paginator(listing.prefetch_related("codings__category"), 20).get_page(
        request.GET.get("page")
    )
    coded, total = coding.progress(question)
    return render(
        request,
        "surveys/coding_question.html",
        {
            "survey": survey,
            "question": question,
            "current": current,
            "categories": categories,
            "mine": mine,
            "others": others,
            "page": page,
            "show": show,
            "coded": coded,
            "total": total,
            "percent": selectors.coded_percent(coded, total),
            "category_form": CategoryForm(),
        },
    )


@require_POST
def category_add(request, survey_slug, question_code):
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    question = _text_question_or_404(survey, question_code)
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            category = services.category_add(
                question=question, actor=Actor.from_request(request), **form.cleaned_data
            )
        except coding.CodingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Category “%(label)s” added to the codebook.") % {
                "label": category.label})  # fmt: skip
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}")
    target = reverse("survey_coding_question", args=[survey.slug, question.code])
    if request.POST.get("answer", "").isdigit():
        target += f"?answer={request.POST['answer']}"
    return redirect(target)
