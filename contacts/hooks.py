"""Places where other apps add to the contacts pages without this app knowing them (the plans app
adds the person's short-term goals to quick entry, plan items to the worklist and the reminders,
and plan figures to the manager's home), as ``clients.timeline`` does for the client page.

- ``register_entry_panel(template)``: a template included on the quick-entry page, rendered with
  its context (``client`` and the rest).
- ``register_worklist_section(build)``: ``build(*, user, clients, today)`` returns a
  ``WorklistSection`` or None; its template is included on the worklist, and its
  ``notifications`` (kind, client, item key, due date) join the daily reminders; its ``title``
  and ``rows`` (client, due date, note) are its part of the worklist's download, and the rows'
  clients are the people the section names in the worklist's audit event.
- ``register_office_figures(build)``: ``build(*, offices, today)`` returns
  ``{office_pk: figure}`` and names a template (``build.template``) included on the manager's
  home with ``figure`` set.
- ``register_stats_section(build)``: ``build(*, offices, date_from, date_to)`` returns a value
  with ``as_json()``; it is shown on the contact statistics page (``build.template``, with
  ``section`` set) and printed by ``contact_stats`` under ``build.key``; when it also has
  ``tables()`` (``[(title, header, rows)]``), each table is a sheet of the statistics' XLSX.
"""

from dataclasses import dataclass, field

_ENTRY_PANELS = []
_WORKLIST_SECTIONS = []
_OFFICE_FIGURES = []
_STATS_SECTIONS = []


@dataclass
class WorklistSection:
    name: str
    template: str
    items: list = field(default_factory=list)
    notifications: list = field(default_factory=list)  # (kind, client, item_key, due_date)
    # The section in the worklist's download: its heading, and one (client, due date, note)
    # per item, as the section's template shows them.
    title: str = ""
    rows: list = field(default_factory=list)


def register_entry_panel(template_name):
    if template_name not in _ENTRY_PANELS:
        _ENTRY_PANELS.append(template_name)


def entry_panels():
    return list(_ENTRY_PANELS)


def register_worklist_section(build):
    if build not in _WORKLIST_SECTIONS:
        _WORKLIST_SECTIONS.append(build)


def worklist_sections(*, user, clients, today):
    sections = (build(user=user, clients=clients, today=today) for build in _WORKLIST_SECTIONS)
    return [section for section in sections if section is not None]


def register_office_figures(build):
    if build not in _OFFICE_FIGURES:
        _OFFICE_FIGURES.append(build)


def office_figures(*, offices, today):
    """[(template, {office_pk: figure})] of every registered figure."""
    return [(build.template, build(offices=offices, today=today)) for build in _OFFICE_FIGURES]


def register_stats_section(build):
    if build not in _STATS_SECTIONS:
        _STATS_SECTIONS.append(build)


def stats_tables(*, offices, date_from, date_to):
    """The ``(title, header, rows)`` tables of every registered statistics section that has
    them, for the statistics download."""
    return [
        table
        for _key, _template, section in stats_sections(
            offices=offices, date_from=date_from, date_to=date_to
        )
        if hasattr(section, "tables")
        for table in section.tables()
    ]


def stats_sections(*, offices, date_from, date_to):
    """[(key, template, section)] of every registered statistics section."""
    return [
        (build.key, build.template, build(offices=offices, date_from=date_from, date_to=date_to))
        for build in _STATS_SECTIONS
    ]
