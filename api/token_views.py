"""The user's page of API tokens: make one (its secret shown once, on the answer to the form),
see when each was last used, revoke one. Pages of the site, behind the usual login."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from api import services
from api.forms import TokenForm
from core.audit import Actor


def token_list(request):
    form = TokenForm(request.POST or None)
    secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _token, secret = services.token_create(
                actor=Actor.from_request(request),
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
            form = TokenForm()
        else:
            status = 400
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": services.tokens_of(user=request.user),
            "now": timezone.now(),
        },
        status=status,
    )


@require_POST
def token_revoke(request, token_pk):
    token = services.tokens_of(user=request.user).filter(pk=token_pk).first()
    if token is None:  # another user's token looks like a missing one
        raise Http404
    services.token_revoke(actor=Actor.from_request(request), token=token)
    messages.success(request, _("The token was revoked. Programs using it can no longer call."))
    return redirect("api_tokens")
