"""Knowledge base pages, under /knowledge/ (docs/web.md)."""

from django.urls import path

from nexus.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.problem_index, name="index"),
    path("problems/<int:problem_id>/", views.problem_detail, name="problem"),
    path("problems/<int:problem_id>/hit/", views.problem_hit, name="problem-hit"),
    path("solutions/<int:entry_id>/worked/", views.solution_worked, name="solution-worked"),
    path("solutions/<int:entry_id>/verified/", views.solution_verified, name="solution-verified"),
    path("similar/", views.similar, name="similar"),
]
