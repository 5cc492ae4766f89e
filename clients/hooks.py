"""What other apps add to the retention pages without this app knowing them (the plans app lists
the people whose service ends soon with no hand-over recorded; billing counts the month's billable
person-months), through the extension points ``RETENTION_PANELS`` and
``RETENTION_BILLABLE_PERSON_MONTHS`` (settings, read by ``core.extensions``).

- ``RETENTION_PANELS``: ``build(*, office, today)`` returns a value and names a template
  (``build.template``) included on the office's retention page with ``panel`` set.
- ``RETENTION_BILLABLE_PERSON_MONTHS``: ``count(office, month, *, retention_result,
  fee_reference)``; the first listed answers, None when none is.
"""

from core.extensions import extensions


def retention_panels(*, office, today):
    """[(template, panel)] of every listed panel, for ``office`` on ``today``."""
    return [
        (build.template, build(office=office, today=today))
        for build in extensions("RETENTION_PANELS")
    ]


def billable_person_months(office, month, *, retention_result, fee_reference):
    """The month's billable person-months, as the first listed counter gives them, or None."""
    for count in extensions("RETENTION_BILLABLE_PERSON_MONTHS"):
        return count(office, month, retention_result=retention_result, fee_reference=fee_reference)
    return None
