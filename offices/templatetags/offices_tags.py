from django import template

register = template.Library()


@register.filter
def may_enrol_two_factor(user):
    """Whether the account menu offers two-factor login (managers and administrators)."""
    from offices.two_factor import may_enrol

    return may_enrol(user)
