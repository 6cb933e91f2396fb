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
