"""Places where other apps add to the retention pages without this app knowing them (the plans
app lists the people whose service ends soon with no hand-over recorded), as
``clients.timeline.register_card`` does for the client page.

- ``register_retention_panel(build)``: ``build(*, office, today)`` returns a value and names a
  template (``build.template``) included on the office's retention page with ``panel`` set.
"""

_RETENTION_PANELS = []


def register_retention_panel(build):
    if build not in _RETENTION_PANELS:
        _RETENTION_PANELS.append(build)


def retention_panels(*, office, today):
    """[(template, panel)] of every registered panel, for ``office`` on ``today``."""
    return [(build.template, build(office=office, today=today)) for build in _RETENTION_PANELS]
