from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render

from offices.models import Membership
from offices.scoping import get_office_or_404, offices_managed_by, offices_visible_to


def office_list(request):
    query = request.GET.get("q", "").strip()
    offices = offices_visible_to(request.user).select_related("corporation")
    if query:
        offices = offices.filter(
            Q(name__icontains=query)
            | Q(office_number__startswith=query)
            | Q(corporation__name__icontains=query)
            | Q(municipality__icontains=query)
        )
    offices = offices.annotate(staff_count=Count("memberships", distinct=True))
    page = Paginator(offices.order_by("office_number"), 25).get_page(request.GET.get("page"))
    return render(request, "offices/office_list.html", {"page": page, "query": query})


def office_detail(request, office_number):
    office = get_office_or_404(request.user, office_number)
    can_manage = offices_managed_by(request.user).filter(pk=office.pk).exists()
    members = (
        Membership.objects.filter(office=office)
        .select_related("user")
        .order_by("role", "user__username")
        if can_manage
        else Membership.objects.none()
    )
    return render(
        request,
        "offices/office_detail.html",
        {"office": office, "members": members, "can_manage": can_manage},
    )
