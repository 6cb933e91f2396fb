from django.contrib import admin

from matchwerk.core.models import PeriodicRun, TaskRetry, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "queues", "host", "pid", "started_at", "seen_at"]
    readonly_fields = list_display


@admin.register(TaskRetry)
class TaskRetryAdmin(admin.ModelAdmin):
    list_display = ["task_path", "attempt", "reason", "failed_result_id", "retry_result_id", "created_at"]
    list_filter = ["task_path"]
    readonly_fields = list_display


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ["job", "period_start", "enqueued_at", "worker_id", "task_result_id"]
    list_filter = ["job"]
    readonly_fields = list_display
