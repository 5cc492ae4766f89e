from celery import shared_task

from surveys import invitations


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def send_invitations_task(self, survey_id, base_url):
    """Thin: re-fetch and send; each invitation row records when it was sent."""
    return invitations.send_invitations(survey_id=survey_id, base_url=base_url)


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def send_reminders_task(self, survey_id, base_url):
    return invitations.send_reminders(survey_id=survey_id, base_url=base_url)
