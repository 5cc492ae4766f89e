"""What other apps add to the contacts pages without this app knowing them (the plans app adds the
person's short-term goals to quick entry, plan items to the worklist and the reminders, and plan
figures to the manager's home; billing adds certificates to the worklist), through one extension
point each: a setting listing dotted paths in order (``config/settings.py``, read by
``core.extensions``).

- ``QUICK_ENTRY_PANEL_TEMPLATES``: a template included on the quick-entry page, rendered with
  its context (``client`` and the rest).
- ``WORKLIST_SECTIONS``: ``build(*, user, clients, today)`` returns a
  ``WorklistSection`` or None; its template is included on the worklist, and its
  ``notifications`` (kind, client, item key, due date) join the daily reminders; its ``title``
  and ``rows`` (client, due date, note) are its part of the worklist's download, and the rows'
  clients are the people the section names in the worklist's audit event.
- ``MANAGER_HOME_FIGURES``: ``build(*, offices, today)`` returns
  ``{office_pk: figure}`` and names a template (``build.template``) included on the manager's
  home with ``figure`` set.
- ``CONTACT_STATS_SECTIONS``: ``build(*, offices, date_from, date_to, counted=None)`` returns a
  value with ``as_json()``; it is shown on the contact statistics page (``build.template``, with
  ``section`` set) and printed by ``contact_stats`` under ``build.key``; when it also has
  ``tables()`` (``[(title, header, rows)]``), each table is a sheet of the statistics' XLSX.
  ``counted``: the rows the page's ``contact_stats`` read (``contacts.stats.CountedRows``), for a
  section to use instead of reading them again when they ``cover`` its offices and period.
"""

from dataclasses import dataclass, field

from core.extensions import extensions, templates


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


def entry_panels():
    return list(templates("QUICK_ENTRY_PANEL_TEMPLATES"))


def worklist_sections(*, user, clients, today):
    sections = (
        build(user=user, clients=clients, today=today) for build in extensions("WORKLIST_SECTIONS")
    )
    return [section for section in sections if section is not None]


def office_figures(*, offices, today):
    """[(template, {office_pk: figure})] of every listed figure."""
    return [
        (build.template, build(offices=offices, today=today))
        for build in extensions("MANAGER_HOME_FIGURES")
    ]


def stats_tables(*, offices, date_from, date_to, counted=None):
    """The ``(title, header, rows)`` tables of every listed statistics section that has
    them, for the statistics download (``counted``: as ``stats_sections``')."""
    return [
        table
        for _key, _template, section in stats_sections(
            offices=offices, date_from=date_from, date_to=date_to, counted=counted
        )
        if hasattr(section, "tables")
        for table in section.tables()
    ]


def stats_sections(*, offices, date_from, date_to, counted=None):
    """[(key, template, section)] of every listed statistics section (``counted``: see the
    extension point above)."""
    return [
        (
            build.key,
            build.template,
            build(offices=offices, date_from=date_from, date_to=date_to, counted=counted),
        )
        for build in extensions("CONTACT_STATS_SECTIONS")
    ]
