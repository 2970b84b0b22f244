"""Cohort insights pages for mentors and staff, under /insights/ (docs/web.md)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from nexus.core.web import render_page
from nexus.insights import access, charts, selectors

ACTIVITY_WEEKS = 12


@login_required
@require_GET
def insights_index(request: HttpRequest) -> HttpResponse:
    """The cohorts the member guides; straight to the cohort when there is only one."""
    cohorts = list(access.cohorts_guided_by(request.user).order_by("program__name", "name"))
    if len(cohorts) == 1:
        return redirect("insights:cohort", slug=cohorts[0].slug)
    return render_page(request, "insights/insights_index.html", {"cohorts": cohorts})


@login_required
@require_GET
def cohort_insights(request: HttpRequest, slug: str) -> HttpResponse:
    """Coverage heatmap, the most common open problems, and activity by week of one cohort."""
    cohort = access.access_cohort_insights(request.user, slug)
    coverage = selectors.cohort_coverage(actor=request.user, cohort=cohort)
    weeks = selectors.cohort_activity(actor=request.user, cohort=cohort, weeks=ACTIVITY_WEEKS)
    chart = charts.bar_chart(
        title=f"Activity of {cohort.name} by week",
        chart_id="activity-chart",
        labels=[week.start.strftime("%d %b") for week in weeks],
        series=[
            charts.Series("Entries published", "entries", [week.entries for week in weeks]),
            charts.Series("Messages posted", "messages", [week.messages for week in weeks]),
        ],
    )
    context = {
        "cohort": cohort,
        "coverage": coverage,
        "problems": selectors.cohort_open_problems(actor=request.user, cohort=cohort),
        "weeks": weeks,
        "chart": chart,
        "levels": selectors.HEAT_LEVELS,
    }
    return render_page(request, "insights/cohort_insights.html", context)
