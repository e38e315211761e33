"""Reads of report jobs, always through the user's scope (organizations.scoping)."""

from django.db.models import QuerySet

from organizations.scoping import get_scoped_or_404, scoped

from .models import ReportJob


def jobs_in_scope(user) -> QuerySet[ReportJob]:
    return scoped(user, ReportJob.objects.select_related("root", "requested_by"), "root__path")


def my_jobs(user) -> QuerySet[ReportJob]:
    """The user's own jobs whose root is still inside their scope (a post ended: they vanish).
    A list: the built figures (a national report's are megabytes) stay in the database."""
    return jobs_in_scope(user).filter(requested_by=user).defer("result", "narrative")


def get_job_or_404(user, pk: int) -> ReportJob:
    return get_scoped_or_404(user, ReportJob.objects.select_related("root", "requested_by"), "root__path", pk=pk)
