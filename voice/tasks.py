"""Background work of the person's channel, thin: re-fetch, call the service, retry."""

from celery import shared_task

from voice import line_api, services

MAX_RETRIES = 3


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True, ignore_result=True)
def send_line_message(self, message_id):
    """Push one message to LINE with its retry key; retried with a growing pause while LINE
    answers 5xx or cannot be reached, then marked failed (visible on the person's page)."""
    final = self.request.retries >= self.max_retries
    try:
        services.message_deliver(message_id=message_id, final=final)
    except line_api.SendFailed as exc:
        if self.request.is_eager:
            # In-process (no broker, no worker): the next try runs at once, with the same key.
            send_line_message.apply(args=(message_id,), retries=self.request.retries + 1)
            return
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


@shared_task(ignore_result=True)
def check_in_round():
    """Each morning (CELERY_BEAT_SCHEDULE): silence warnings and the LINE questions due."""
    return services.check_in_round()
