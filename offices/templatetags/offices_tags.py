from django import template

register = template.Library()


@register.filter
def may_enrol_two_factor(user):
    """Whether the account menu offers two-factor login (managers and administrators)."""
    from offices.two_factor import may_enrol

    return may_enrol(user)


@register.simple_tag(takes_context=True)
def month_locked(context, office, day):
    """The label of ``day``'s month (a date or an aware datetime, read in Japan time) when that
    month is closed for billing for ``office`` (``offices.month_lock``), else "": the page shows
    the record as locked instead of offering a change the service would refuse. The office's
    closed months are read once per page."""
    import datetime as dt

    from core.calendar import JST, Month, month_label
    from offices.month_lock import closed_months_of

    if office is None or day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = day.astimezone(JST).date()
    cache = context.render_context.setdefault("teichaku_closed_months", {})
    office_id = getattr(office, "pk", office)
    if office_id not in cache:
        cache[office_id] = {month for _id, month in closed_months_of([office_id])}
    month = Month.of(day)
    return month_label(month.year, month.month) if month in cache[office_id] else ""
