"""The API's resources (DESIGN 5.7). Each view parses its input, calls the selectors and
services of the app below that the matching page calls (same scoping, same audit), and shapes
the answer; none writes a model itself."""

from django.db import IntegrityError
from django.db.models import Max
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from api import serializers as s
from api.base import ApiView
from api.errors import error_document, field_errors_response
from api.pagination import Pages
from billing import selectors as billing_selectors
from clients import retention
from clients import selectors as client_selectors
from clients import services as client_services
from clients.models import Client, Employment
from contacts import selectors as contact_selectors
from contacts import services as contact_services
from contacts.forms import FaceToFace, QuickEntryForm
from contacts.reports import employer_contacts_for
from core import calendar
from core.audit import Actor
from core.calendar import Month
from core.params import ID_MAX
from offices import month_lock
from offices import selectors as office_selectors
from offices.scoping import get_office_or_404, get_scoped_or_404, scoped

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="入力の誤り（message と field）"),
    401: OpenApiResponse(s.ErrorSerializer, description="トークンがない・無効・期限切れ・失効"),
    404: OpenApiResponse(s.ErrorSerializer, description="ない、または見る権限がない"),
    429: OpenApiResponse(s.ErrorSerializer, description="回数制限（Retry-After 秒後に再試行）"),
}
READ_ERRORS = {code: ERRORS[code] for code in (400, 401, 404, 429)}


def _id_parameter(name, description):
    return OpenApiParameter(
        name,
        OpenApiTypes.INT64,
        OpenApiParameter.PATH,
        description=description,
    )


OFFICE_NUMBER = OpenApiParameter(
    "office_number", OpenApiTypes.STR, OpenApiParameter.PATH, description="事業所番号（10桁）"
)


def _query(serializer_class, request):
    """The validated query parameters (400 with the field and a Japanese message otherwise)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _actor(request):
    return Actor.from_request(request)


def _office_filter(request, value):
    """The office named by ``?office=`` among those the user may read, or 404 (as on a page)."""
    return get_office_or_404(request.user, value) if value else None


def _paginated(view, request, queryset, serializer_class, *, shown):
    paginator = Pages()
    page = paginator.paginate_queryset(queryset, request, view=view)
    shown(page)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


# ---------------------------------------------------------------------------------------------
# Offices


class OfficeList(ApiView):
    @extend_schema(
        operation_id="offices_list",
        summary="事業所の一覧",
        parameters=[s.OfficeListQuerySerializer],
        responses={200: s.OfficePageSerializer, **READ_ERRORS},
    )
    def get(self, request):
        query = _query(s.OfficeListQuerySerializer, request).get("q", "").strip()
        return _paginated(
            self,
            request,
            office_selectors.offices_found(user=request.user, query=query),
            s.OfficeSerializer,
            shown=lambda page: client_services.people_shown(
                actor=_actor(request),
                page="API offices",
                clients=[],
                detail=request.GET.urlencode(),
            ),
        )


class OfficeDetail(ApiView):
    @extend_schema(
        operation_id="offices_detail",
        summary="事業所",
        parameters=[OFFICE_NUMBER],
        responses={200: s.OfficeSerializer, **ERRORS},
    )
    def get(self, request, office_number):
        office = get_office_or_404(request.user, office_number)
        client_services.people_shown(
            actor=_actor(request), page="API office", clients=[], office=office
        )
        return Response(s.OfficeSerializer(office).data)


# ---------------------------------------------------------------------------------------------
# Clients and employments


class ClientList(ApiView):
    @extend_schema(
        operation_id="clients_list",
        summary="利用者の一覧と検索",
        parameters=[s.ClientListQuerySerializer],
        responses={200: s.ClientPageSerializer, **READ_ERRORS},
    )
    def get(self, request):
        params = _query(s.ClientListQuerySerializer, request)
        office = _office_filter(request, params.get("office"))
        clients = client_selectors.filter_clients(
            client_selectors.clients_visible_to(user=request.user),
            today=calendar.today(),
            query=params.get("q", "").strip(),
            status=params.get("status", ""),
            origin=params.get("origin", ""),
            plan_type=params.get("plan_type", ""),
            office=office,
        )
        return _paginated(
            self,
            request,
            clients.order_by("family_name_kana", "given_name_kana", "client_code", "pk"),
            s.ClientSerializer,
            shown=lambda page: client_services.people_shown(
                actor=_actor(request),
                page="API client list",
                clients=list(page),
                office=office,
                detail=request.GET.urlencode(),
            ),
        )


class ClientDetail(ApiView):
    @extend_schema(
        operation_id="clients_detail",
        summary="利用者",
        parameters=[_id_parameter("client_pk", "利用者の id")],
        responses={200: s.ClientDetailSerializer, **ERRORS},
    )
    def get(self, request, client_pk):
        client = get_scoped_or_404(
            Client.objects.with_origin().select_related("office", "staff_in_charge"),
            request.user,
            pk=client_pk,
        )
        client_services.client_read(actor=_actor(request), client=client, detail="API")
        client.employments_shown = list(
            client.employments.select_related("employer").order_by("start_date", "pk")
        )
        return Response(s.ClientDetailSerializer(client).data)


class EmploymentList(ApiView):
    @extend_schema(
        operation_id="employments_list",
        summary="就労（雇用）の一覧",
        parameters=[s.ClientFilterSerializer],
        responses={200: s.EmploymentPageSerializer, **READ_ERRORS},
    )
    def get(self, request):
        params = _query(s.ClientFilterSerializer, request)
        office = _office_filter(request, params.get("office"))
        employments = scoped(Employment, request.user).select_related(
            "client", "client__office", "employer"
        )
        if office is not None:
            employments = employments.filter(client__office=office)
        if params.get("client"):
            employments = employments.filter(client_id=params["client"])
        return _paginated(
            self,
            request,
            employments.order_by("client__client_code", "start_date", "pk"),
            s.EmploymentSerializer,
            shown=lambda page: client_services.people_shown(
                actor=_actor(request),
                page="API employments",
                clients=[employment.client for employment in page],
                office=office,
                detail=request.GET.urlencode(),
            ),
        )


# ---------------------------------------------------------------------------------------------
# Contacts


def _contacts_visible_to(user, *, date_from=None, date_to=None):
    """The live contacts ``user`` may see, in the period (Japan dates, both included): the
    contact history's selector with its filters."""
    return contact_selectors.contacts_found(
        user=user,
        filters={
            "deleted": False, "q": "", "method": "", "counterpart": "", "staff": None,
            "date_from": date_from, "date_to": date_to,
        },
    )  # fmt: skip


class ContactList(ApiView):
    @extend_schema(
        operation_id="contacts_list",
        summary="支援記録（連絡）の一覧",
        parameters=[s.ContactListQuerySerializer],
        responses={200: s.ContactPageSerializer, **READ_ERRORS},
    )
    def get(self, request):
        params = _query(s.ContactListQuerySerializer, request)
        office = _office_filter(request, params.get("office"))
        contacts = _contacts_visible_to(
            request.user, date_from=params.get("date_from"), date_to=params.get("date_to")
        )
        if office is not None:
            contacts = contacts.filter(client__office=office)
        if params.get("client"):
            contacts = contacts.filter(client_id=params["client"])
        self.last_modified = contacts.aggregate(latest=Max("updated_at"))["latest"]
        return _paginated(
            self,
            request,
            contacts.order_by("-contacted_at", "-pk"),
            s.ContactSerializer,
            shown=lambda page: client_services.people_shown(
                actor=_actor(request),
                page="API contacts",
                clients=[contact.client for contact in page],
                office=office,
                detail=request.GET.urlencode(),
            ),
        )

    @extend_schema(
        operation_id="contacts_create",
        summary="支援記録（連絡）の登録",
        description="入力画面（クイック入力）と同じ検証・同じメッセージ・同じ監査記録で登録します。",
        request=s.ContactCreateSerializer,
        responses={
            201: s.ContactSerializer,
            409: OpenApiResponse(s.ErrorSerializer, description="同じ連絡が登録済み・締め済みの月"),
            **ERRORS,
        },
    )
    def post(self, request):
        body = request.data
        if not isinstance(body, dict):
            return field_errors_response([(None, _("Send a JSON object."))])
        client_id = body.get("client")
        if isinstance(client_id, bool) or not isinstance(client_id, int | str):
            return field_errors_response([("client", _("Give the client's id."))])
        client_id = str(client_id).strip()
        if not client_id.isascii() or not client_id.isdigit() or not 0 < int(client_id) <= ID_MAX:
            return field_errors_response([("client", _("Give the client's id."))])
        client = get_scoped_or_404(
            Client.objects.select_related("office"), request.user, pk=int(client_id)
        )
        form_data, problems = _form_data(body)
        if problems:
            return field_errors_response(problems)
        form = QuickEntryForm(form_data, employer_contacts=employer_contacts_for(client))
        if not form.is_valid():
            return field_errors_response(
                [
                    (None if name == "__all__" else name, str(message))
                    for name, messages in form.errors.items()
                    for message in messages
                ]
            )
        try:
            contact = contact_services.contact_create(
                client=client,
                staff=request.user,
                face_to_face=form.face_to_face_value(),
                actor=_actor(request),
                **form.contact_values(),
            )
        except IntegrityError:
            return Response(
                error_document(
                    _("This contact (same time, method and counterpart) has already been recorded.")
                ),
                status=status.HTTP_409_CONFLICT,
            )
        contact = _contacts_visible_to(request.user).get(pk=contact.pk)
        response = Response(s.ContactSerializer(contact).data, status=status.HTTP_201_CREATED)
        response["Location"] = reverse("api_contact_detail", kwargs={"contact_pk": contact.pk})
        return response


FORM_FIELDS = {
    "contacted_at": "value",
    "method": "value",
    "counterpart": "value",
    "summary": "value",
    "duration_minutes": "value",
    "next_follow_up": "value",
    "employer_contact": "value",
    "work_topics": "list",
    "life_topics": "list",
    "face_to_face": "choice",
}


def _form_data(body):
    """The JSON body as the quick-entry form's data (a QueryDict, as a browser sends it), and
    the problems of values that no form field could take (an object where a value goes)."""
    data = QueryDict(mutable=True)
    problems = []
    for name, kind in FORM_FIELDS.items():
        value = body.get(name)
        if value is None:
            continue
        if kind == "choice":
            if value is True:
                data[name] = FaceToFace.YES
            elif value is False:
                data[name] = FaceToFace.NO
            else:
                problems.append((name, _("Give true, false or null.")))
        elif kind == "list":
            items = value if isinstance(value, list) else [value]
            if any(isinstance(item, dict | list | bool) for item in items):
                problems.append((name, _("Give a list of codes.")))
            else:
                data.setlist(name, [str(item) for item in items])
        elif isinstance(value, dict | list | bool):
            problems.append((name, _("Give a single value.")))
        else:
            data[name] = str(value)
    return data, problems


class ContactDetail(ApiView):
    @extend_schema(
        operation_id="contacts_detail",
        summary="支援記録（連絡）",
        parameters=[_id_parameter("contact_pk", "連絡の id")],
        responses={200: s.ContactSerializer, **ERRORS},
    )
    def get(self, request, contact_pk):
        contact = get_scoped_or_404(_contacts_visible_to(request.user), request.user, pk=contact_pk)
        contact_services.contact_read(actor=_actor(request), contact=contact, detail="API")
        self.last_modified = contact.updated_at
        return Response(s.ContactSerializer(contact).data)


# ---------------------------------------------------------------------------------------------
# Reports: the JSON documents of DESIGN 5.4, from the functions the commands call


REPORT = OpenApiResponse(
    OpenApiTypes.OBJECT, description="DESIGN 5.4 の JSON 文書（コマンドの出力と同じキー）"
)


class RetentionReport(ApiView):
    @extend_schema(
        summary="就労定着率（retention_report と同じ文書）",
        parameters=[OFFICE_NUMBER, s.RetentionQuerySerializer],
        responses={200: REPORT, **ERRORS},
    )
    def get(self, request, office_number):
        office = get_office_or_404(request.user, office_number, manage=True)
        params = _query(s.RetentionQuerySerializer, request)
        today = calendar.today()
        result = client_services.office_retention_read(
            actor=_actor(request),
            office=office,
            fiscal_year=params.get("fiscal_year") or retention.moving_fiscal_year(today),
            as_of=params.get("as_of") or today,
        )
        return Response(result.as_json())


class ContactStatsReport(ApiView):
    @extend_schema(
        summary="連絡の統計（contact_stats と同じ文書）",
        parameters=[OFFICE_NUMBER, s.ContactStatsQuerySerializer],
        responses={200: REPORT, **ERRORS},
    )
    def get(self, request, office_number):
        office = get_office_or_404(request.user, office_number, manage=True)
        params = _query(s.ContactStatsQuerySerializer, request)
        today = calendar.today()
        default_from = Month.of(today)
        for _i in range(11):
            default_from = default_from.previous()
        date_from = params.get("date_from") or default_from.first_day
        date_to = params.get("date_to") or today
        if date_from > date_to:
            return field_errors_response([("from", _("The start is after the end."))])
        document = contact_services.contact_stats_document(
            actor=_actor(request), office=office, date_from=date_from, date_to=date_to
        )
        return Response(document)


class BillingMonthList(ApiView):
    @extend_schema(
        operation_id="billing_months_list",
        summary="請求を締めた月の一覧",
        parameters=[OFFICE_NUMBER],
        responses={200: s.ClosedMonthSerializer(many=True), **ERRORS},
    )
    def get(self, request, office_number):
        office = get_office_or_404(request.user, office_number, manage=True)
        months = billing_selectors.closed_months(office)
        client_services.people_shown(
            actor=_actor(request), page="API closed months", clients=[], office=office
        )
        return Response(
            [{"office_number": office.office_number, "month": str(month)} for month in months]
        )


class BillingMonth(ApiView):
    @extend_schema(
        summary="締めた月の請求（billing_month と同じ文書）",
        parameters=[
            OFFICE_NUMBER,
            OpenApiParameter(
                "billing_month", OpenApiTypes.STR, OpenApiParameter.PATH, description="YYYY-MM"
            ),
        ],
        responses={200: REPORT, **ERRORS},
    )
    def get(self, request, office_number, billing_month):
        office = get_office_or_404(request.user, office_number, manage=True)
        try:
            month = Month.parse(billing_month)
        except ValueError as exc:
            raise Http404(_("Give the month as YYYY-MM.")) from exc
        state = month_lock.close_state(office, month)
        if state is None or not state.is_closed:
            raise Http404(_("This month is not closed for billing."))
        figures = billing_selectors.month_figures_read(
            actor=_actor(request), office=office, month=month
        )
        self.last_modified = state.closed_at
        return Response(figures.as_document())
