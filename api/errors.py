"""Every API error is JSON: ``{"message": 日本語, "field": name or null, "errors": [{"field",
"message"}]}``, never an HTML page and never a 5xx for anything a caller sends.

``exception_handler`` is Django REST framework's handler for the API views; ``bad_request`` and
``page_not_found`` (the project's handler400/handler404) answer the same JSON under ``/api/`` for
what never reaches a view (a path that matches nothing, a control character refused by
``core.params.RefuseHostileInputMiddleware``) and the project's pages elsewhere.
"""

from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core import errors as page_errors
from core.audit import record_refused
from offices.month_lock import MonthClosed

API_PREFIX = "/api/"


def error_document(message, field=None, errors=None):
    message = str(message)
    return {
        "message": message,
        "field": field,
        "errors": errors if errors is not None else [{"field": field, "message": message}],
    }


def _flatten(detail, field=None):
    """[(field, message)] of a REST framework error detail (dicts of lists of messages)."""
    if isinstance(detail, dict):
        problems = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "__all__") else str(key)
            if field is not None and name is not None:
                name = f"{field}.{name}"
            problems += _flatten(value, name if name is not None else field)
        return problems
    if isinstance(detail, list):
        return [problem for item in detail for problem in _flatten(item, field)]
    return [(field, str(detail))]


def field_errors_response(problems, status_code=status.HTTP_400_BAD_REQUEST):
    """400 for [(field or None, message)] (a form's or a serializer's errors)."""
    errors = [{"field": field, "message": message} for field, message in problems]
    first = errors[0] if errors else {"field": None, "message": _("The request is not valid.")}
    return Response(error_document(first["message"], first["field"], errors), status=status_code)


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, Http404):
        if request is not None:
            record_refused(request, exc)  # another office's row: a ``denied`` event
        message = str(exc.args[0]) if exc.args and isinstance(exc.args[0], str) else ""
        return Response(error_document(message or _("Not found.")), status=404)
    if isinstance(exc, MonthClosed):
        return Response(error_document(str(exc)), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, IntegrityError):
        return Response(
            error_document(_("The request conflicts with a record that already exists.")),
            status=status.HTTP_409_CONFLICT,
        )
    response = drf_exception_handler(exc, context)  # sets Retry-After on a 429
    if isinstance(exc, exceptions.Throttled) and response is not None:
        response.data = error_document(
            _("Too many calls. Try again in %(seconds)d seconds.") % {"seconds": int(exc.wait or 1)}
        )
        return response
    if response is None:
        return None  # a programming error: the server's 500 (and its log)
    if isinstance(exc, exceptions.ValidationError):
        problems = _flatten(exc.detail)
        return field_errors_response(problems or [(None, _("The request is not valid."))])
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    problems = _flatten(detail)
    field, message = problems[0] if problems else (None, str(detail))
    response.data = error_document(message, field)
    return response


def _json_error(message, status_code):
    response = JsonResponse(
        error_document(message), status=status_code, json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "no-store"
    return response


def _is_api(request):
    return request.path.startswith(API_PREFIX)


def bad_request(request, exception, *args, **kwargs):
    if _is_api(request):
        with translation.override("ja"):
            return _json_error(_("The request contains characters that cannot be used."), 400)
    return page_errors.bad_request(request, exception, *args, **kwargs)


def page_not_found(request, exception, *args, **kwargs):
    if _is_api(request):
        with translation.override("ja"):
            return _json_error(_("Not found."), 404)
    return page_errors.page_not_found(request, exception, *args, **kwargs)


def permission_denied(request, exception, *args, **kwargs):
    if _is_api(request):
        with translation.override("ja"):
            return _json_error(_("You may not do this."), 403)
    return page_errors.permission_denied(request, exception, *args, **kwargs)


def server_error(request, *args, **kwargs):
    if _is_api(request):
        with translation.override("ja"):
            return _json_error(_("An error occurred on the server."), 500)
    return page_errors.server_error(request, *args, **kwargs)


for _handler in (bad_request, page_not_found, permission_denied, server_error):
    _handler.login_required = False  # error answers are for anyone, as core.errors' are
