from celery import shared_task

from core.audit import Actor
from surveys import services


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def send_invitations_task(self, survey_id, base_url, user_id=None):
    """Thin: re-fetch and send; each invitation row records when it was sent."""
    return services.invitations_send(
        survey_id=survey_id, base_url=base_url, actor=Actor.task(user_id)
    )


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def send_reminders_task(self, survey_id, base_url, user_id=None):
    return services.reminders_send(
        survey_id=survey_id, base_url=base_url, actor=Actor.task(user_id)
    )
