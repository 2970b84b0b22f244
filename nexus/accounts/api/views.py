"""Auth and profile endpoints."""

from django.contrib.auth import logout as session_logout
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from nexus.accounts import selectors, services
from nexus.accounts.api import serializers
from nexus.core.api.schema import problems


class RegisterApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "register"

    @extend_schema(
        tags=["auth"],
        request=serializers.RegisterSerializer,
        responses={201: serializers.MeSerializer, **problems(400, 429)},
        summary="Create an account",
    )
    def post(self, request: Request) -> Response:
        data = serializers.RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(**data.validated_data)
        user = selectors.member_queryset().get(pk=user.pk)
        return Response(serializers.MeSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenObtainApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        tags=["auth"],
        request=serializers.TokenObtainSerializer,
        responses={200: serializers.TokenPairSerializer, **problems(400, 401, 429)},
        summary="Exchange username and password for an access and a refresh token",
    )
    def post(self, request: Request) -> Response:
        data = serializers.TokenObtainSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_authenticate(request=request, **data.validated_data)
        return Response(services.token_pair_issue(user=user))


class TokenRefreshApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        tags=["auth"],
        request=serializers.RefreshSerializer,
        responses={200: serializers.TokenPairSerializer, **problems(400, 401)},
        summary="Rotate a refresh token into a new pair",
    )
    def post(self, request: Request) -> Response:
        data = serializers.RefreshSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(services.token_refresh(refresh=data.validated_data["refresh"]))


class LogoutApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["auth"],
        request=serializers.RefreshSerializer,
        responses={204: None, **problems(400, 401)},
        summary="Revoke a refresh token (and the access token of this call); end the session",
    )
    def post(self, request: Request) -> Response:
        data = serializers.RefreshSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.user_logout(user=request.user, refresh=data.validated_data["refresh"], access=request.auth)
        session_logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["members"], responses={200: serializers.MeSerializer, **problems(401)}, summary="You")
    def get(self, request: Request) -> Response:
        user = selectors.member_queryset().get(pk=request.user.pk)
        return Response(serializers.MeSerializer(user).data)

    @extend_schema(
        tags=["members"],
        request=serializers.MeUpdateSerializer,
        responses={200: serializers.MeSerializer, **problems(400, 401)},
        summary="Update your email or profile",
    )
    def patch(self, request: Request) -> Response:
        data = serializers.MeUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = services.profile_update(user=request.user, data=data.validated_data)
        return Response(serializers.MeSerializer(user).data)


class MemberDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=["members"], responses={200: serializers.MemberSerializer, **problems(404)}, summary="A member")
    def get(self, request: Request, username: str) -> Response:
        user = get_object_or_404(selectors.member_queryset(), username__iexact=username)
        return Response(serializers.MemberSerializer(user).data)
