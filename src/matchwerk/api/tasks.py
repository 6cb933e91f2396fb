"""Background work of the API app: sending webhook deliveries (queue "default")."""

from __future__ import annotations

from django_tasks import task

from matchwerk.api.models import WebhookDelivery


@task(priority=10)
def deliver_webhook(delivery_id: str) -> str:
    """One attempt at one delivery (a failed attempt plans the next one itself)."""
    from matchwerk.api.webhooks import delivery_attempt

    delivery = WebhookDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        return "gone"
    return delivery_attempt(delivery).status


@task(priority=0)
def retry_lost_webhook_deliveries() -> int:
    """The periodic safety net (``settings.PERIODIC_TASKS["webhooks_retry"]``): queue again
    the pending deliveries whose planned attempt is more than 10 minutes overdue (a queued
    attempt that was lost, e.g. with a database that was restored). ``matchwerk
    webhooks_retry`` does the same by hand."""
    from datetime import timedelta

    from matchwerk.api.webhooks import deliveries_retry_due

    return deliveries_retry_due(grace=timedelta(minutes=10))
