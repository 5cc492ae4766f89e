"""Survey views, one module per topic; the URL tables name them by module.

Public views (no login: ``public``) are marked ``@login_not_required`` and listed in
PUBLIC_VIEWS of tests/test_scoping_walk.py. Every other view fetches its survey through
``surveys.access``: coordinator pages through ``get_coordinated_survey_or_404``, report pages
through ``get_reportable_survey_or_404`` (coordinators, or office staff once the report is
published). Writes go through ``surveys.services``, page and export reads through
``surveys.selectors``.
"""
