"""What the office pages and their exports read (the views render it)."""

from django.db.models import Count, Q

from offices.models import Membership
from offices.scoping import offices_managed_by, offices_visible_to


def offices_found(*, user, query=""):
    """The offices ``user`` may see that the search ``query`` finds (name, office number,
    corporation, municipality), each with ``staff_count``, in the list's order."""
    offices = offices_visible_to(user).select_related("corporation")
    if query:
        offices = offices.filter(
            Q(name__icontains=query)
            | Q(office_number__startswith=query)
            | Q(corporation__name__icontains=query)
            | Q(municipality__icontains=query)
        )
    offices = offices.annotate(staff_count=Count("memberships", distinct=True))
    return offices.order_by("office_number")


def office_page(*, user, office):
    """The office page: the office, whether ``user`` manages it, and (for a manager only) its
    staff memberships."""
    can_manage = offices_managed_by(user).filter(pk=office.pk).exists()
    members = (
        Membership.objects.filter(office=office)
        .select_related("user")
        .order_by("role", "user__username")
        if can_manage
        else Membership.objects.none()
    )
    return {"office": office, "members": members, "can_manage": can_manage}
