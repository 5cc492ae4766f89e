"""A person's display name: family name first, as Japanese writes it, for clients and staff alike.

Django's ``get_full_name()`` puts the given name first (愛 青木); every page, form, PDF and
export uses these functions instead, so the order is decided here once.
"""


def display_name(family, given):
    """ "青木 愛": family name, a space, given name; either part may be blank."""
    return " ".join(part for part in ((family or "").strip(), (given or "").strip()) if part)


def staff_display_name(user):
    """A staff member's name family name first, or their login name without one; "" for nobody."""
    if user is None:
        return ""
    return display_name(user.last_name, user.first_name) or user.get_username()
