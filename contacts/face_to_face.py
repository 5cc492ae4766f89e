"""Face to face: the one home of the monthly meeting rule (DESIGN 1 and 5.4).

- A contact is **face-to-face** by its method's flag (``core.vocab.FACE_TO_FACE_METHODS``); a
  video call is face-to-face only where the office says it counts
  (``Office.video_call_counts_as_face_to_face``). That is the default a new contact gets; the
  person logging it may correct it, and the stored ``Contact.face_to_face`` is what counts.
- A contact **meets the person** when it is face-to-face and its counterpart is the person.
- A person **is met in a month** when at least one live contact inside the month's Japanese
  bounds meets them.

The definition is written once, as field values (``MEETING``); the ORM expressions and the
Python predicates are both derived from it, so the database and the code cannot disagree.
Statistics, the worklist, the client timeline and the report prefill all use this module.
"""

from django.db.models import Exists, OuterRef, Q

from contacts.models import Contact
from core.vocab import Counterpart, is_face_to_face

# (field, value) pairs a contact must have to meet the person.
MEETING = (("face_to_face", True), ("counterpart", Counterpart.CLIENT))


def default_face_to_face(*, method, office):
    """Face-to-face by the method, with the office's choice for video calls."""
    return is_face_to_face(method, video_call_counts=office.video_call_counts_as_face_to_face)


def meeting_q(prefix=""):
    """Contacts (reached through ``prefix``, e.g. ``"contacts__"``) that meet the person."""
    return Q(**{f"{prefix}{name}": value for name, value in MEETING})


def meets_the_person(contact):
    """Python form of ``meeting_q``: whether this contact meets the person."""
    return all(getattr(contact, name) == value for name, value in MEETING)


def meetings_in_month(month, *, client=None):
    """Live contacts meeting the person inside ``month``'s JST bounds (of ``client`` if given)."""
    start, end = month.bounds()
    contacts = Contact.objects.live().filter(
        meeting_q(), contacted_at__gte=start, contacted_at__lt=end
    )
    return contacts if client is None else contacts.filter(client=client)


def met_in_month(month, client_ref=None, *, among=None):
    """An ``Exists`` over client rows: the client (``OuterRef("pk")`` by default) is met in
    ``month``. Filter, exclude or count people with it. ``among``: a condition on the contacts
    that restricts them to the clients counted (``contacts.stats.of_clients``), so that a plan
    hashing the month's meetings reads only theirs, not the whole country's."""
    meetings = meetings_in_month(month, client=client_ref or OuterRef("pk"))
    return Exists(meetings if among is None else meetings.filter(among))


def is_met_in_month(contacts, month):
    """Python form of ``met_in_month`` over contact objects already loaded."""
    start, end = month.bounds()
    return any(
        c.deleted_at is None and start <= c.contacted_at < end and meets_the_person(c)
        for c in contacts
    )
