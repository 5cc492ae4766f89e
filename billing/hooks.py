"""Office conditions other apps supply to billing, without billing knowing them.

``register_office_condition(name, check)``: ``check(office, month)`` returns a boolean. Billing
asks for ``handover_system_in_place`` (the ``no_handover_system`` reduction applies when it is
False); the plans app registers its ``plans.rules.handover_system_in_place`` here. **With nothing
registered the condition's default holds**: a hand-over system is taken to be in place, so no
office is reduced until the rule that decides it exists.
"""

_CONDITIONS = {}

HANDOVER_SYSTEM_IN_PLACE = "handover_system_in_place"

DEFAULTS = {HANDOVER_SYSTEM_IN_PLACE: True}


def register_office_condition(name, check):
    _CONDITIONS[name] = check


def unregister_office_condition(name):
    _CONDITIONS.pop(name, None)


def office_condition(name, office, month):
    """The registered check's answer for ``office`` in ``month``, or the condition's default."""
    check = _CONDITIONS.get(name)
    if check is None:
        return DEFAULTS[name]
    return bool(check(office, month))
