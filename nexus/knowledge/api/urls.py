from django.urls import path

from nexus.knowledge.api import views

urlpatterns = [
    path("problems/", views.ProblemListApi.as_view(), name="problem-list"),
    path("problems/similar/", views.ProblemSimilarApi.as_view(), name="problem-similar"),
    path("problems/<int:problem_id>/", views.ProblemDetailApi.as_view(), name="problem-detail"),
    path("problems/<int:problem_id>/merge/", views.ProblemMergeApi.as_view(), name="problem-merge"),
    path("problems/<int:problem_id>/split/", views.ProblemSplitApi.as_view(), name="problem-split"),
    path(
        "problems/<int:problem_id>/confirmations/",
        views.ProblemConfirmationApi.as_view(),
        name="problem-confirmations",
    ),
    path("topics/<slug:slug>/page/", views.TopicPageApi.as_view(), name="topic-page"),
    path("entries/<int:entry_id>/similar/", views.EntrySimilarApi.as_view(), name="entry-similar"),
    path("entries/<int:entry_id>/problem/", views.EntryProblemApi.as_view(), name="entry-problem"),
    path("entries/<int:entry_id>/confirmations/", views.SolutionConfirmationApi.as_view(), name="entry-confirmations"),
    path("entries/<int:entry_id>/verification/", views.SolutionVerificationApi.as_view(), name="entry-verification"),
]
