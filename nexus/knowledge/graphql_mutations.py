"""Knowledge-base mutations: the REST writes of `nexus/knowledge/api/views.py`, over GraphQL.

| mutation              | REST                                   | service                 |
|-----------------------|----------------------------------------|-------------------------|
| renameProblem         | PATCH problems/{id}/ (mentors)         | problem_rename          |
| mergeProblem          | POST problems/{id}/merge/ (mentors)    | problem_merge           |
| splitProblem          | POST problems/{id}/split/ (mentors)    | problem_split           |
| confirmProblem        | POST problems/{id}/confirmations/      | problem_confirm         |
| unconfirmProblem      | DELETE problems/{id}/confirmations/    | problem_unconfirm       |
| attachChallenge       | PUT entries/{id}/problem/              | challenge_attach        |
| confirmSolution       | POST entries/{id}/confirmations/       | solution_confirm        |
| unconfirmSolution     | DELETE entries/{id}/confirmations/     | solution_unconfirm      |
| verifySolution        | PUT entries/{id}/verification/ (mentors) | solution_verify       |
| unverifySolution      | DELETE entries/{id}/verification/      | solution_unverify       |
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from nexus.core.graphql_mutations import input_from_serializer, mutate, payload_type, pk_of
from nexus.hubs.access import access_entry
from nexus.knowledge import selectors, services
from nexus.knowledge.api import serializers
from nexus.knowledge.models import Problem, SolutionConfirmation, SolutionVerification

if TYPE_CHECKING:
    from nexus.hubs.graphql import EntryType
    from nexus.knowledge.graphql import ProblemLinkType, ProblemType

ProblemNode = Annotated["ProblemType", strawberry.lazy("nexus.knowledge.graphql")]
ProblemLinkNode = Annotated["ProblemLinkType", strawberry.lazy("nexus.knowledge.graphql")]
EntryNode = Annotated["EntryType", strawberry.lazy("nexus.hubs.graphql")]

ProblemRenameInput = input_from_serializer(serializers.ProblemRenameSerializer, "ProblemRenameInput")
ProblemSplitInput = input_from_serializer(serializers.ProblemSplitSerializer, "ProblemSplitInput")


@strawberry.type(description='A problem and your "I hit this too" on it.')
class ProblemHitState:
    problem: ProblemNode
    hit_count: int
    hit_by_me: bool


@strawberry.type(description='A challenge\'s solution and its "worked for me" confirmations.')
class SolutionConfirmationState:
    entry: EntryNode
    confirmations: int
    confirmed_by_me: bool


@strawberry.type(description="A challenge's solution and whether a mentor verified it.")
class SolutionVerificationState:
    entry: EntryNode
    verified: bool
    verified_by: str | None = strawberry.field(description="The verifier's username.")
    verified_at: datetime | None


ProblemPayload = payload_type(ProblemNode, "ProblemPayload", node_name="problem")
ProblemHitPayload = payload_type(ProblemHitState, "ProblemHitPayload", node_name="state")
ProblemLinkPayload = payload_type(ProblemLinkNode, "ProblemLinkPayload", node_name="link")
SolutionConfirmationPayload = payload_type(SolutionConfirmationState, "SolutionConfirmationPayload", node_name="state")
SolutionVerificationPayload = payload_type(SolutionVerificationState, "SolutionVerificationPayload", node_name="state")


def _hit_state(actor: Any, problem: Problem) -> ProblemHitState:
    return ProblemHitState(
        problem=problem,  # type: ignore[arg-type]
        hit_count=problem.hit_count,
        hit_by_me=selectors.problem_hit_by(actor=actor, problem=problem),
    )


def _confirmation_state(actor: Any, entry_id: int) -> SolutionConfirmationState:
    confirmations = SolutionConfirmation.objects.filter(entry_id=entry_id)
    return SolutionConfirmationState(
        entry=access_entry(actor, entry_id),  # type: ignore[arg-type]
        confirmations=confirmations.count(),
        confirmed_by_me=confirmations.filter(user_id=actor.pk).exists(),
    )


def _verification_state(actor: Any, entry_id: int) -> SolutionVerificationState:
    found = SolutionVerification.objects.filter(entry_id=entry_id).select_related("verified_by").first()
    return SolutionVerificationState(
        entry=access_entry(actor, entry_id),  # type: ignore[arg-type]
        verified=found is not None,
        verified_by=found.verified_by.username if found and found.verified_by else None,
        verified_at=found.created_at if found else None,
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Rename a problem (mentors and staff; PATCH /api/v1/problems/{id}/).")
    def rename_problem(self, info: Info, id: strawberry.ID, input: ProblemRenameInput) -> ProblemPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            ProblemPayload,
            lambda actor, data: services.problem_rename(actor=actor, problem_id=pk_of(id, what="problem"), **data),
            input=input,
            serializer=serializers.ProblemRenameSerializer,
            node_name="problem",
        )

    @strawberry.mutation(
        description="Merge a problem into `target`; returns the target (mentors; POST problems/{id}/merge/)."
    )
    def merge_problem(self, info: Info, id: strawberry.ID, target: strawberry.ID) -> ProblemPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            ProblemPayload,
            lambda actor, _: services.problem_merge(
                actor=actor, source_id=pk_of(id, what="problem"), target_id=pk_of(target, what="problem")
            ),
            node_name="problem",
        )

    @strawberry.mutation(
        description="Move challenges out of a problem into a new one; returns the new problem "
        "(POST problems/{id}/split/)."
    )
    def split_problem(self, info: Info, id: strawberry.ID, input: ProblemSplitInput) -> ProblemPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            ProblemPayload,
            lambda actor, data: services.problem_split(actor=actor, problem_id=pk_of(id, what="problem"), **data),
            input=input,
            serializer=serializers.ProblemSplitSerializer,
            node_name="problem",
        )

    @strawberry.mutation(description='"I hit this too" (POST /api/v1/problems/{id}/confirmations/).')
    def confirm_problem(self, info: Info, id: strawberry.ID) -> ProblemHitPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            ProblemHitPayload,
            lambda actor, _: _hit_state(
                actor, services.problem_confirm(actor=actor, problem_id=pk_of(id, what="problem"))
            ),
            node_name="state",
        )

    @strawberry.mutation(description='Take back "I hit this too" (DELETE /api/v1/problems/{id}/confirmations/).')
    def unconfirm_problem(self, info: Info, id: strawberry.ID) -> ProblemHitPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            ProblemHitPayload,
            lambda actor, _: _hit_state(
                actor, services.problem_unconfirm(actor=actor, problem_id=pk_of(id, what="problem"))
            ),
            node_name="state",
        )

    @strawberry.mutation(description="Put your challenge under another problem (PUT /api/v1/entries/{id}/problem/).")
    def attach_challenge(self, info: Info, entry_id: strawberry.ID, problem: strawberry.ID) -> ProblemLinkPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            ProblemLinkPayload,
            lambda actor, _: services.challenge_attach(
                actor=actor, entry_id=pk_of(entry_id, what="entry"), problem_id=pk_of(problem, what="problem")
            ),
            node_name="link",
        )

    @strawberry.mutation(description='"This solution worked for me" (POST /api/v1/entries/{id}/confirmations/).')
    def confirm_solution(self, info: Info, entry_id: strawberry.ID) -> SolutionConfirmationPayload:  # type: ignore[valid-type]
        def call(actor: Any, _: dict[str, Any]) -> SolutionConfirmationState:
            pk = pk_of(entry_id, what="entry")
            services.solution_confirm(actor=actor, entry_id=pk)
            return _confirmation_state(actor, pk)

        return mutate(info, SolutionConfirmationPayload, call, node_name="state")

    @strawberry.mutation(description='Take back "worked for me" (DELETE /api/v1/entries/{id}/confirmations/).')
    def unconfirm_solution(self, info: Info, entry_id: strawberry.ID) -> SolutionConfirmationPayload:  # type: ignore[valid-type]
        def call(actor: Any, _: dict[str, Any]) -> SolutionConfirmationState:
            pk = pk_of(entry_id, what="entry")
            services.solution_unconfirm(actor=actor, entry_id=pk)
            return _confirmation_state(actor, pk)

        return mutate(info, SolutionConfirmationPayload, call, node_name="state")

    @strawberry.mutation(description="Verify a solution (mentors and staff; PUT /api/v1/entries/{id}/verification/).")
    def verify_solution(self, info: Info, entry_id: strawberry.ID) -> SolutionVerificationPayload:  # type: ignore[valid-type]
        def call(actor: Any, _: dict[str, Any]) -> SolutionVerificationState:
            pk = pk_of(entry_id, what="entry")
            services.solution_verify(actor=actor, entry_id=pk)
            return _verification_state(actor, pk)

        return mutate(info, SolutionVerificationPayload, call, node_name="state")

    @strawberry.mutation(description="Withdraw a verification (DELETE /api/v1/entries/{id}/verification/).")
    def unverify_solution(self, info: Info, entry_id: strawberry.ID) -> SolutionVerificationPayload:  # type: ignore[valid-type]
        def call(actor: Any, _: dict[str, Any]) -> SolutionVerificationState:
            pk = pk_of(entry_id, what="entry")
            services.solution_unverify(actor=actor, entry_id=pk)
            return _verification_state(actor, pk)

        return mutate(info, SolutionVerificationPayload, call, node_name="state")
