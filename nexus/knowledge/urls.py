"""Knowledge base pages, under /knowledge/ (docs/web.md)."""

from django.urls import path

from nexus.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.problem_index, name="index"),
    path("problems/<int:problem_id>/", views.problem_detail, name="problem"),
    path("problems/<int:problem_id>/hit/", views.problem_hit, name="problem-hit"),
    path("problems/<int:problem_id>/rename/", views.problem_rename, name="problem-rename"),
    path("problems/<int:problem_id>/merge/", views.problem_merge, name="problem-merge"),
    path("problems/<int:problem_id>/split/", views.problem_split, name="problem-split"),
    path("solutions/<int:entry_id>/worked/", views.solution_worked, name="solution-worked"),
    path("solutions/<int:entry_id>/verified/", views.solution_verified, name="solution-verified"),
    path("similar/", views.similar, name="similar"),
]
