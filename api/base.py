"""What every API view shares: Bearer authentication (no session, no login page), answers in
Japanese, and validators for polling (``ETag`` from the body, ``Last-Modified`` where the data
has a time; ``If-None-Match`` answers 304)."""

import datetime as dt

from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.views import APIView


class JsonOnly(BaseContentNegotiation):
    """Always JSON, whatever ``Accept`` says (BI tools send all sorts): never a 406."""

    def select_parser(self, request, parsers):
        for parser in parsers:
            if parser.media_type.split(";")[0] == (request.content_type or "").split(";")[0]:
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = renderers[0]
        return renderer, renderer.media_type


class ApiView(APIView):
    """Base of the API's views."""

    content_negotiation_class = JsonOnly
    last_modified = None  # an aware datetime a view sets when its data has one

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        # Not the login page's business: the view authenticates each call itself (Bearer token)
        # and answers 401 JSON without one. The scoping walk and the permission matrix know
        # token-authenticated views by this mark.
        view.login_required = False
        view.token_authenticated = True
        return view

    def dispatch(self, request, *args, **kwargs):
        with translation.override("ja"):
            return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_cache_control(response, private=True, no_cache=True)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        set_response_etag(response)
        last_modified = None
        if isinstance(self.last_modified, dt.datetime):
            last_modified = int(self.last_modified.timestamp())
            response["Last-Modified"] = http_date(last_modified)
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )
