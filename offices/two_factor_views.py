"""The two-factor login pages: the code step of a login, and enrolling or turning it off
(``offices.two_factor``)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.audit import Actor
from core.views import login_locked_out
from offices import services, two_factor


class TwoStepLoginView(auth_views.LoginView):
    """The password step. A user enrolled in two-factor login is not logged in yet: the session
    remembers them as pending and the code step (``login_verify``) finishes the login."""

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.is_enrolled(user):
            return super().form_valid(form)
        two_factor.start_pending_login(self.request, user, self.get_success_url())
        return redirect("login_verify")


@login_not_required
@never_cache
def login_verify(request):
    """The code step of a two-factor login."""
    from offices.forms import TwoFactorCodeForm

    pending = two_factor.pending_login(request)
    if pending is None:
        return redirect("login")
    user, backend, next_url = pending
    device = two_factor.confirmed_device(user)
    if device is None:  # turned off meanwhile: the password step again
        return redirect("login")
    if two_factor.locked_out(request, user):  # django-axes: too many wrong passwords or codes
        two_factor.forget_pending_login(request)
        return login_locked_out(request)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if two_factor.verify_code(request=request, user=user, device=device, code=code):
            two_factor.finish_pending_login(request, user, backend, device)
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        form.add_error("code", _("The code is not correct. Wait a moment and try the new code."))
    return render(request, "registration/login_verify.html", {"form": form})


@never_cache  # the page shows the secret key
def two_factor_settings(request):
    """A manager's or an administrator's two-factor login: enrol (QR code, secret, confirmed
    with a code before it takes effect) or see that it is on."""
    from offices.forms import TwoFactorCodeForm, TwoFactorDisableForm

    if not two_factor.may_enrol(request.user):
        raise Http404
    device = two_factor.confirmed_device(request.user)
    if device is not None:
        return render(
            request,
            "offices/two_factor.html",
            {"enrolled": True, "disable_form": TwoFactorDisableForm()},
        )
    device = services.enrolment_device(actor=Actor.from_request(request), user=request.user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if two_factor.verify_code(request=request, user=request.user, device=device, code=code):
            services.confirm_enrolment(
                actor=Actor.from_request(request), request=request, device=device
            )
            messages.success(request, _("Two-factor login is on: from now on, log in with a code."))
            return redirect("two_factor")
        form.add_error("code", _("The code is not correct. Wait a moment and try the new code."))
    return render(
        request,
        "offices/two_factor.html",
        {
            "enrolled": False,
            "form": form,
            "qr_svg": mark_safe(two_factor.qr_svg(device)),  # segno draws it from the URL
            "secret": two_factor.secret_of(device),
        },
    )


@require_POST
def two_factor_disable(request):
    """Turn two-factor login off: the password and a current code."""
    from offices.forms import TwoFactorDisableForm

    if not two_factor.may_enrol(request.user):
        raise Http404
    device = two_factor.confirmed_device(request.user)
    if device is None:
        return redirect("two_factor")
    form = TwoFactorDisableForm(request.POST)
    if form.is_valid():
        password_ok = request.user.check_password(form.cleaned_data["password"])
        code_ok = two_factor.verify_code(
            request=request, user=request.user, device=device, code=form.cleaned_data["code"]
        )
        if password_ok and code_ok:
            services.disable_two_factor(
                actor=Actor.from_request(request), request=request, user=request.user
            )
            messages.success(request, _("Two-factor login is off."))
            return redirect("two_factor")
        form.add_error(None, _("The password or the code is not correct."))
    return render(
        request,
        "offices/two_factor.html",
        {"enrolled": True, "disable_form": form},
        status=400,
    )
