"""The permission matrix: every URL pattern × every role × GET and POST, against one table.

The URL list comes from the resolver (``tests.scoping_walk.endpoints``), so a new view without a
row in EXPECTED fails ``test_every_view_has_a_declared_row``. Each request runs in a savepoint
that is rolled back, so a POST by one role (deleting an invitation, closing a survey) cannot
change what the next role sees. POSTs carry no data: they prove who may reach the view, not what
a valid form does (the apps' own tests do that).

Roles, in the order of each row: anonymous; Alice (support staff of office A); Bob (office A's
manager); Charlie (staff of another corporation's office B); Diana (corporation A's manager);
corporation A's survey coordinator; an administrator (superuser without memberships: works in
the Django admin and sees no office data in the app).

API views (``/api/v1/``) are asked with each role's API token (anonymous: none, answered 401)
and POSTed nothing (a contact without its fields: 400).

Statuses: 200 shown; 302 redirected (anonymous: to the login page, unless the view is public);
400 refused as malformed; 403 refused; 404 not found or not yours; 405 method not allowed;
410 no longer available (the public form of a survey closed or a link used); 401 no API token.
"""

import pytest
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import UserFactory
from tests.scoping_walk import SAMPLES, api_token_header, build_world, endpoints, url_kwargs

ROLES = ("anonymous", "alice", "bob", "charlie", "diana", "coordinator", "admin")

# url name → {"GET": statuses per role, "POST": statuses per role}, roles in ROLES order.
EXPECTED = {
    # The coordinator (no office) lands on the survey list.
    "home": {"GET": "302 200 200 200 200 302 200", "POST": "302 200 200 200 200 302 200"},
    "login": {"GET": "200 200 200 200 200 200 200", "POST": "200 200 200 200 200 200 200"},
    # The code step of a two-factor login: without a password step pending, back to the login.
    "login_verify": {"GET": "302 302 302 302 302 302 302", "POST": "302 302 302 302 302 302 302"},
    "logout": {"GET": "302 405 405 405 405 405 405", "POST": "302 302 302 302 302 302 302"},
    "password_change": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "password_change_done": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 405 405 405 405 405 405",
    },
    "set_language": {"GET": "302 302 302 302 302 302 302", "POST": "302 302 302 302 302 302 302"},
    "import_upload": {"GET": "302 200 200 200 200 404 200", "POST": "302 200 200 200 200 404 200"},
    "import_job": {"GET": "302 404 200 404 404 404 404", "POST": "302 404 200 404 404 404 404"},
    "healthz": {"GET": "200 200 200 200 200 200 200", "POST": "405 405 405 405 405 405 405"},
    "office_list": {"GET": "302 200 200 200 200 200 200", "POST": "302 200 200 200 200 200 200"},
    "office_list_export": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "office_detail": {"GET": "302 200 200 404 200 404 404", "POST": "302 200 200 404 200 404 404"},
    "client_list": {"GET": "302 200 200 200 200 404 404", "POST": "302 200 200 200 200 404 404"},
    "client_list_export": {
        "GET": "302 200 200 200 200 404 404",
        "POST": "302 200 200 200 200 404 404",
    },
    "client_create": {"GET": "302 200 200 200 200 404 404", "POST": "302 200 200 200 200 404 404"},
    "client_detail": {"GET": "302 200 200 404 200 404 404", "POST": "302 200 200 404 200 404 404"},
    "client_update": {"GET": "302 200 200 404 200 404 404", "POST": "302 200 200 404 200 404 404"},
    "employment_create": {
        "GET": "302 200 200 404 200 404 404",
        "POST": "302 200 200 404 200 404 404",
    },
    "employment_update": {
        "GET": "302 200 200 404 200 404 404",
        "POST": "302 200 200 404 200 404 404",
    },
    "employment_delete": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 302 302 404 302 404 404",
    },
    "employer_list": {"GET": "302 200 200 200 200 404 404", "POST": "302 200 200 200 200 404 404"},
    "employer_list_export": {
        "GET": "302 200 200 200 200 404 404",
        "POST": "302 200 200 200 200 404 404",
    },
    "employer_create": {
        "GET": "302 200 200 404 200 404 404",
        "POST": "302 200 200 404 200 404 404",
    },
    # An empty POST is an invalid form: the page again, with 400.
    "employer_update": {
        "GET": "302 200 200 404 200 404 404",
        "POST": "302 400 400 404 400 404 404",
    },
    "retention_index": {
        "GET": "302 404 302 404 200 404 404",
        "POST": "302 404 302 404 200 404 404",
    },
    "retention_corporation": {
        "GET": "302 404 404 404 200 404 404",
        "POST": "302 404 404 404 200 404 404",
    },
    "retention_corporation_export": {
        "GET": "302 404 404 404 200 404 404",
        "POST": "302 404 404 404 200 404 404",
    },
    "retention_office": {
        "GET": "302 404 200 404 200 404 404",
        "POST": "302 404 200 404 200 404 404",
    },
    "retention_office_export": {
        "GET": "302 404 200 404 200 404 404",
        "POST": "302 404 200 404 200 404 404",
    },
    "survey_list": {"GET": "302 200 200 200 200 200 200", "POST": "302 200 200 200 200 200 200"},
    # The surveys the user coordinates (none for most: the header row alone).
    "survey_list_export": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "survey_detail": {"GET": "302 404 404 404 404 200 404", "POST": "302 404 404 404 404 200 404"},
    "survey_status": {"GET": "302 405 405 405 405 405 405", "POST": "302 404 404 404 404 302 404"},
    "survey_copy": {"GET": "302 404 404 404 404 200 404", "POST": "302 404 404 404 404 200 404"},
    "survey_responses_export": {
        "GET": "302 404 404 404 404 200 404",
        "POST": "302 404 404 404 404 200 404",
    },
    "survey_invitations": {
        "GET": "302 404 404 404 404 200 404",
        "POST": "302 404 404 404 404 200 404",
    },
    "survey_invitations_export": {
        "GET": "302 404 404 404 404 200 404",
        "POST": "302 404 404 404 404 200 404",
    },
    "survey_invitation_send": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 404 404 404 404 302 404",
    },
    "survey_invitation_delete": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 404 404 404 404 302 404",
    },
    "survey_bursts": {"GET": "302 404 404 404 404 200 404", "POST": "302 404 404 404 404 302 404"},
    "survey_coding": {"GET": "302 404 404 404 404 200 404", "POST": "302 404 404 404 404 200 404"},
    "survey_coding_question": {
        "GET": "302 404 404 404 404 200 404",
        "POST": "302 404 404 404 404 404 404",
    },
    "survey_category_add": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 404 404 404 404 302 404",
    },
    "survey_report": {"GET": "302 200 200 404 200 200 404", "POST": "302 200 200 404 200 200 404"},
    "survey_report_download": {
        "GET": "302 200 200 404 200 200 404",
        "POST": "302 200 200 404 200 200 404",
    },
    "survey_report_figure": {
        "GET": "302 200 200 404 200 200 404",
        "POST": "302 200 200 404 200 200 404",
    },
    "survey_crosstab": {
        "GET": "302 200 200 404 200 200 404",
        "POST": "302 200 200 404 200 200 404",
    },
    "survey_crosstab_export": {
        "GET": "302 200 200 404 200 200 404",
        "POST": "302 200 200 404 200 200 404",
    },
    "survey_compare": {"GET": "302 200 200 404 200 200 404", "POST": "302 200 200 404 200 200 404"},
    # The world holds one survey of its template: nothing to compare with is 404 for everyone
    # (tests/surveys/test_list_exports.py downloads a comparison and refuses other corporations).
    "survey_compare_export": {
        "GET": "302 404 404 404 404 404 404",
        "POST": "302 404 404 404 404 404 404",
    },
    "survey_respond_token": {
        "GET": "200 200 200 200 200 200 200",
        "POST": "200 200 200 200 200 200 200",
    },
    "survey_respond": {"GET": "200 200 200 200 200 200 200", "POST": "400 400 400 400 400 400 400"},
    "survey_thanks": {"GET": "200 200 200 200 200 200 200", "POST": "200 200 200 200 200 200 200"},
    "contact_list": {"GET": "302 200 200 200 200 200 200", "POST": "302 200 200 200 200 200 200"},
    "contact_list_export": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "contacts_today": {"GET": "302 200 200 200 200 200 200", "POST": "302 200 200 200 200 200 200"},
    "contact_quick_entry": {
        "GET": "302 200 200 404 200 404 404",
        "POST": "302 200 200 404 200 404 404",
    },
    "contact_detail": {"GET": "302 200 200 404 200 404 404", "POST": "302 200 200 404 200 404 404"},
    "contact_edit": {"GET": "302 200 200 404 200 404 404", "POST": "302 200 200 404 200 404 404"},
    "contact_delete": {"GET": "302 200 200 404 200 404 404", "POST": "302 200 200 404 200 404 404"},
    "worklist": {"GET": "302 200 200 200 200 200 200", "POST": "302 200 200 200 200 200 200"},
    # Anyone signed in downloads their own worklist (empty for those with no office).
    "worklist_export": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "notification_list": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "notification_read": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 302 404 404 404 404 404",
    },
    "notifications_read_all": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 302 302 302 302 302 302",
    },
    "contact_stats_page": {
        "GET": "302 404 200 404 200 404 404",
        "POST": "302 404 200 404 200 404 404",
    },
    "contact_stats_export": {
        "GET": "302 404 200 404 200 404 404",
        "POST": "302 404 200 404 200 404 404",
    },
    "report_index": {"GET": "302 200 200 200 200 404 404", "POST": "302 200 200 200 200 404 404"},
    "report_index_export": {
        "GET": "302 200 200 200 200 404 404",
        "POST": "302 200 200 200 200 404 404",
    },
    "report_generate": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 404 404 404 404 404 404",
    },
    "report_job": {"GET": "302 200 200 404 200 404 404", "POST": "302 200 200 404 200 404 404"},
    "report_for_month": {
        "GET": "302 302 302 404 302 404 404",
        "POST": "302 302 302 404 302 404 404",
    },
    # An empty POST leaves an empty report unchanged: back to its page.
    "report_detail": {"GET": "302 200 200 404 200 404 404", "POST": "302 302 302 404 302 404 404"},
    "report_refill": {"GET": "302 405 405 405 405 405 405", "POST": "302 302 302 404 302 404 404"},
    "report_print": {"GET": "302 200 200 404 200 404 404", "POST": "302 200 200 404 200 404 404"},
    "report_pdf": {"GET": "302 200 200 404 200 404 404", "POST": "302 200 200 404 200 404 404"},
    # The service record's print view and the billing settings: managers of the office only. An
    # empty POST is no form at all: the page again, with 400.
    "billing_service_record_print": {
        "GET": "302 404 200 404 200 404 404",
        "POST": "302 404 200 404 200 404 404",
    },
    "billing_office_settings": {
        "GET": "302 404 200 404 200 404 404",
        "POST": "302 404 400 404 400 404 404",
    },
    "billing_client_settings": {
        "GET": "302 404 200 404 200 404 404",
        "POST": "302 404 400 404 400 404 404",
    },
    # Office A's audit trail: its managers (Bob, Diana) only.
    "audit_trail": {"GET": "302 404 200 404 200 404 404", "POST": "302 404 200 404 200 404 404"},
    "audit_trail_export": {
        "GET": "302 404 200 404 200 404 404",
        "POST": "302 404 200 404 200 404 404",
    },
    # The month's claim file: managers only; 409 while the month is open (the matrix's is).
    "billing_claim_file": {
        "GET": "302 404 409 404 409 404 404",
        "POST": "302 404 409 404 409 404 404",
    },
    "billing_close_job": {
        "GET": "302 404 200 404 200 404 404",
        "POST": "302 404 200 404 200 404 404",
    },
    "billing_close_job_cancel": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 404 302 404 302 404 404",
    },
    # The month's figures, close and reopen, downloads: managers only (support staff 404).
    "billing_month": {"GET": "302 404 200 404 200 404 404", "POST": "302 404 200 404 200 404 404"},
    "billing_month_close": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 404 302 404 302 404 404",
    },
    "billing_month_export": {
        "GET": "302 404 200 404 200 404 404",
        "POST": "302 404 200 404 200 404 404",
    },
    # The offices the user manages; an empty list for anyone else.
    "billing_month_index": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "billing_month_reopen": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 404 302 404 302 404 404",
    },
    "billing_service_record": {
        "GET": "302 404 200 404 200 404 404",
        "POST": "302 404 200 404 200 404 404",
    },
    # A person's recipient certificate is kept by the office's staff, like the person's record.
    "certificate_edit": {
        "GET": "302 200 200 404 200 404 404",
        "POST": "302 200 200 404 200 404 404",
    },
    "client_handovers": {
        "GET": "302 200 200 404 200 404 404",
        "POST": "302 200 200 404 200 404 404",
    },
    "client_plans": {"GET": "302 200 200 404 200 404 404", "POST": "302 200 200 404 200 404 404"},
    # The office's hand-over list and its download: any member, like the plans list.
    "handover_list": {"GET": "302 200 200 200 200 404 404", "POST": "302 200 200 200 200 404 404"},
    "handover_list_export": {
        "GET": "302 200 200 200 200 404 404",
        "POST": "302 200 200 200 200 404 404",
    },
    # An empty POST is an invalid form: 400.
    "employer_contact_create": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 400 400 404 400 404 404",
    },
    "end_handover_create": {
        "GET": "302 200 200 404 200 404 404",
        "POST": "302 200 200 404 200 404 404",
    },
    # An import job is its uploader's (Bob's) alone, as import_job.
    "import_job_cancel": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 404 302 404 404 404 404",
    },
    # Templates of the kinds the user may import: clients only for managers; no POST.
    "import_template": {
        "GET": "302 404 200 404 200 404 404",
        "POST": "302 405 405 405 405 405 405",
    },
    "meeting_create": {"GET": "302 200 200 404 200 404 404", "POST": "302 200 200 404 200 404 404"},
    "meeting_report_back": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 302 302 404 302 404 404",
    },
    "monitoring_create": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 302 302 404 302 404 404",
    },
    # Approving a plan is the manager's: support staff are refused (403).
    "plan_approve": {"GET": "302 405 405 405 405 405 405", "POST": "302 403 302 404 302 404 404"},
    # Staff record the plan's consent, monitoring notes, meetings and report-backs.
    "plan_consent": {"GET": "302 405 405 405 405 405 405", "POST": "302 302 302 404 302 404 404"},
    "plan_create": {"GET": "302 200 200 404 200 404 404", "POST": "302 200 200 404 200 404 404"},
    "plan_detail": {"GET": "302 200 200 404 200 404 404", "POST": "302 200 200 404 200 404 404"},
    "plan_list": {"GET": "302 200 200 200 200 404 404", "POST": "302 200 200 200 200 404 404"},
    "plan_list_export": {
        "GET": "302 200 200 200 200 404 404",
        "POST": "302 200 200 200 200 404 404",
    },
    # Two-factor login is offered to managers and administrators only; turning it off when it
    # is not on goes back to its page.
    "two_factor": {"GET": "302 404 200 404 200 404 200", "POST": "302 404 200 404 200 404 200"},
    "two_factor_disable": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 404 302 404 302 404 302",
    },
    # Everyone's own preferences.
    "preferences": {"GET": "302 200 200 200 200 200 200", "POST": "302 200 200 200 200 200 200"},
    # Hand-overs: office A's staff and managers and Diana. The link and the upload use a
    # received hand-over and a person referred on paper (scoping_walk.VIEW_SAMPLES).
    "referral_handover_create": {
        "GET": "302 200 200 404 200 404 404",
        "POST": "302 200 200 404 200 404 404",
    },
    "referral_handover_detail": {
        "GET": "302 200 200 404 200 404 404",
        "POST": "302 200 200 404 200 404 404",
    },
    "referral_handover_document": {
        "GET": "302 200 200 404 200 404 404",
        "POST": "302 200 200 404 200 404 404",
    },
    "referral_handover_link": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 302 302 404 302 404 404",
    },
    "referral_handover_upload": {
        "GET": "302 200 200 404 200 404 404",
        "POST": "302 200 200 404 200 404 404",
    },
    "referral_handover_withdraw": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 302 302 404 302 404 404",
    },
    # An empty POST is an invalid form: 400.
    "report_confirm": {"GET": "302 405 405 405 405 405 405", "POST": "302 400 400 404 400 404 404"},
    "report_correct": {"GET": "302 405 405 405 405 405 405", "POST": "302 400 400 404 400 404 404"},
    # The office's report job, as report_job.
    "report_job_cancel": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 302 302 404 302 404 404",
    },
    "report_job_retry": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 302 302 404 302 404 404",
    },
    "report_share": {"GET": "302 405 405 405 405 405 405", "POST": "302 400 400 404 400 404 404"},
    # Only a survey of the whole installation can be the national reference: corporation A's
    # survey is 404 even to its coordinator.
    "survey_reference": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 404 404 404 404 404 404",
    },
    # The Forms import: corporation A's coordinator only; the mapping step without a chosen
    # file goes back to the import page.
    "survey_responses_import": {
        "GET": "302 404 404 404 404 200 404",
        "POST": "302 404 404 404 404 200 404",
    },
    "survey_responses_mapping": {
        "GET": "302 404 404 404 404 302 404",
        "POST": "302 404 404 404 404 302 404",
    },
    # The API: the schema and its documentation pages are public; every resource needs a token
    # and answers what the role sees on the matching page (404 for another office's row).
    "api_schema": {"GET": "200 200 200 200 200 200 200", "POST": "405 405 405 405 405 405 405"},
    "api_docs": {"GET": "200 200 200 200 200 200 200", "POST": "405 405 405 405 405 405 405"},
    "api_office_list": {
        "GET": "401 200 200 200 200 200 200",
        "POST": "401 405 405 405 405 405 405",
    },
    "api_office_detail": {
        "GET": "401 200 200 404 200 404 404",
        "POST": "401 405 405 405 405 405 405",
    },
    "api_client_list": {
        "GET": "401 200 200 200 200 200 200",
        "POST": "401 405 405 405 405 405 405",
    },
    "api_client_detail": {
        "GET": "401 200 200 404 200 404 404",
        "POST": "401 405 405 405 405 405 405",
    },
    "api_employment_list": {
        "GET": "401 200 200 200 200 200 200",
        "POST": "401 405 405 405 405 405 405",
    },
    "api_contact_list": {
        "GET": "401 200 200 200 200 200 200",
        "POST": "401 400 400 400 400 400 400",
    },
    "api_contact_detail": {
        "GET": "401 200 200 404 200 404 404",
        "POST": "401 405 405 405 405 405 405",
    },
    # The figures: managers of the office only, as the retention, statistics and billing pages.
    "api_retention": {
        "GET": "401 404 200 404 200 404 404",
        "POST": "401 405 405 405 405 405 405",
    },
    "api_contact_stats": {
        "GET": "401 404 200 404 200 404 404",
        "POST": "401 405 405 405 405 405 405",
    },
    "api_billing_month_list": {
        "GET": "401 404 200 404 200 404 404",
        "POST": "401 405 405 405 405 405 405",
    },
    "api_billing_month": {
        "GET": "401 404 200 404 200 404 404",
        "POST": "401 405 405 405 405 405 405",
    },
    # The user's own API tokens (an empty POST is an invalid form: 400); Alice's token is hers.
    "api_tokens": {"GET": "302 200 200 200 200 200 200", "POST": "302 400 400 400 400 400 400"},
    "api_token_revoke": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 302 404 404 404 404 404",
    },
    # The person's own channel (voice). The webhook is public and POST only: an unsigned body
    # is 400 for anyone. The check-in and the employer's trend are public: the sample token
    # (a survey invitation's) opens neither, so 404 for anyone.
    "line_webhook": {"GET": "405 405 405 405 405 405 405", "POST": "400 400 400 400 400 400 400"},
    "check_in_form": {"GET": "404 404 404 404 404 404 404", "POST": "404 404 404 404 404 404 404"},
    "employer_share_view": {
        "GET": "404 404 404 404 404 404 404",
        "POST": "404 404 404 404 404 404 404",
    },
    # The offices' LINE accounts: the list of the offices one manages (empty for others); an
    # office's account, its managers only (an empty POST is an invalid form: 400).
    "line_channel_index": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "line_channel_settings": {
        "GET": "302 404 200 404 200 404 404",
        "POST": "302 404 400 404 400 404 404",
    },
    # The person's LINE link, replies, check-in and sharing: whoever may open the person's page.
    "line_code_issue": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 302 302 404 302 404 404",
    },
    "line_unlink": {"GET": "302 405 405 405 405 405 405", "POST": "302 302 302 404 302 404 404"},
    "line_reply": {"GET": "302 405 405 405 405 405 405", "POST": "302 302 302 404 302 404 404"},
    # Without the message's number in the form: 404.
    "line_resend": {"GET": "302 405 405 405 405 405 405", "POST": "302 404 404 404 404 404 404"},
    "check_in_plan": {"GET": "302 200 200 404 200 404 404", "POST": "302 400 400 404 400 404 404"},
    "check_in_ask": {"GET": "302 405 405 405 405 405 405", "POST": "302 302 302 404 302 404 404"},
    "check_in_link_issue": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 302 302 404 302 404 404",
    },
    "check_in_link_revoke": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 404 404 404 404 404 404",
    },
    "check_in_warning_close": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 404 404 404 404 404 404",
    },
    "employer_share": {"GET": "302 200 200 404 200 404 404", "POST": "302 400 400 404 400 404 404"},
    "employer_share_revoke": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 404 404 404 404 404 404",
    },
}


def _users(world):
    admin = UserFactory(username="admin-root", is_staff=True, is_superuser=True)
    cast = world.cast
    return {
        "anonymous": None,
        "alice": cast.alice,
        "bob": cast.bob,
        "charlie": cast.charlie,
        "diana": cast.diana,
        "coordinator": world.extra["survey_coordinator"],
        "admin": admin,
    }


def _url(endpoint, world):
    samples = {**SAMPLES, "token": lambda w: w.extra["invitation"].token}
    return reverse(endpoint.name, kwargs=url_kwargs(endpoint, world, samples))


def _status(http, user, method, url, login_url, token=None):
    http.logout()
    if user is not None:
        http.force_login(user)
    with transaction.atomic():
        response = getattr(http, method)(url, **(token or {}))
        transaction.set_rollback(True)
    status = response.status_code
    if user is None and status == 302 and response["Location"].startswith(login_url):
        return "302"
    return str(status)


def observed_matrix(world):
    http = HttpClient(raise_request_exception=False)
    login_url = redirect_to_login("/").url.split("?")[0]
    users = _users(world)
    tokens = {role: api_token_header(user) for role, user in users.items() if user is not None}
    matrix = {}
    for endpoint in endpoints():
        if endpoint.name not in EXPECTED:
            continue
        url = _url(endpoint, world)
        matrix[endpoint.name] = {
            method.upper(): " ".join(
                _status(
                    http,
                    users[role],
                    method,
                    url,
                    login_url,
                    tokens.get(role) if endpoint.token_authenticated else None,
                )
                for role in ROLES
            )
            for method in ("get", "post")
        }
    return matrix


def test_every_view_has_a_declared_row():
    names = {endpoint.name for endpoint in endpoints()}
    assert sorted(names - set(EXPECTED)) == [], "declare the new view's row in EXPECTED"
    assert sorted(set(EXPECTED) - names) == [], "remove the row of a view that is gone"


def test_anonymous_visitors_are_sent_to_log_in_except_on_public_views():
    from tests.test_scoping_walk import PUBLIC_VIEWS

    api_views = {e.name for e in endpoints() if e.token_authenticated}
    for name, row in EXPECTED.items():
        if name in api_views:
            assert row["GET"].split()[0] == "401", name
        elif name not in PUBLIC_VIEWS:
            assert row["GET"].split()[0] == "302", name


@pytest.mark.django_db
def test_every_role_gets_the_declared_status_on_every_view(cast):
    world = build_world(cast)
    observed = observed_matrix(world)
    differences = {
        f"{name} {method}": f"expected {EXPECTED[name][method]}, got {statuses}"
        for name, row in observed.items()
        for method, statuses in row.items()
        if statuses != EXPECTED[name][method]
    }
    assert differences == {}
