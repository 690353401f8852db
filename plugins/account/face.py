"""Face verification for real-name checks: liveness of the selfie and its match with the ID photo.

A provider (`register_face_verifiers` hook; `SELFSERVE_ACCOUNT_FACE_VERIFIER` picks one by name)
returns two scores between 0 and 1. A clear pass (both at or above the thresholds) verifies the
submission automatically through the `real_name_decision` path; anything else - a low score, a
missing photo, a provider error - leaves it to a reviewer, who sees the scores. Nothing is ever
rejected automatically.

The built-in `sandbox` provider is for development and tests (absent in production): it answers
what was scripted for the user with `script_sandbox`, and 0.5/0.5 (inconclusive) otherwise.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from pydantic_settings import BaseSettings, SettingsConfigDict

from core.context import Services
from core.settings import plugin_settings
from plugins.account.models import RealNameVerification

logger = logging.getLogger("selfserve.account.face")
SANDBOX_KEY = "account:face_sandbox:"


class FaceSettings(BaseSettings):
    """Which face verifier runs, and what counts as a clear pass."""

    model_config = SettingsConfigDict(env_prefix="SELFSERVE_ACCOUNT_", extra="ignore")

    #: A provider name from `register_face_verifiers`; empty: every submission goes to a reviewer.
    face_verifier: str = "sandbox"
    face_min_liveness: float = 0.9
    face_min_match: float = 0.85


@dataclass(frozen=True)
class FaceCheck:
    """A provider's answer: how likely the selfie is a live person, and the ID photo's owner."""

    liveness: float
    match: float


class SandboxFaceVerifier:
    """The development provider: scores scripted per user in redis (`script_sandbox`)."""

    name = "sandbox"

    async def verify(self, services: Services, *, user_id: int, selfie: bytes, id_photo: bytes) -> FaceCheck:
        """The scripted scores of `user_id`, or an inconclusive 0.5/0.5."""
        scripted = await services.redis.get(f"{SANDBOX_KEY}{user_id}")
        if not scripted:
            return FaceCheck(0.5, 0.5)
        text = scripted.decode() if isinstance(scripted, bytes) else scripted
        if text == "error":
            raise RuntimeError("sandbox face verifier: scripted failure")
        liveness, match = (float(part) for part in text.split(","))
        return FaceCheck(liveness, match)


async def script_sandbox(services: Services, user_id: int | str, *, liveness: float, match: float) -> None:
    """Make the sandbox answer these scores for `user_id` (tests and local development)."""
    await services.redis.set(f"{SANDBOX_KEY}{user_id}", f"{liveness},{match}", ex=3600)


def face_settings(services: Services) -> FaceSettings:
    """The process's face-verification settings."""
    return plugin_settings(services, FaceSettings)


def _verifier(services: Services) -> Any:
    name = face_settings(services).face_verifier
    if not name:
        return None
    production = services.settings.env == "production"
    for verifiers in services.pm.hook.register_face_verifiers():
        for verifier in verifiers or []:
            if verifier.name == name and not (production and name == "sandbox"):
                return verifier
    return None


async def check(services: Services, submission: Any) -> bool:
    """Run the configured verifier on a submission, store its scores for the reviewer, and answer
    whether it is a clear pass. Any failure is logged and leaves the submission to a reviewer."""
    verifier = _verifier(services)
    selfie, id_front = submission.photos.get("selfie"), submission.photos.get("idFront")
    if verifier is None or selfie is None or id_front is None:
        return False
    try:
        result = await verifier.verify(
            services, user_id=submission.user_id, selfie=selfie[0], id_photo=id_front[0]
        )
    except Exception:  # a provider outage must not lose the submission: a reviewer decides
        logger.warning("face verifier %s failed", verifier.name, exc_info=True)
        return False
    await RealNameVerification.filter(user_id=submission.user_id).update(
        face_check={"provider": verifier.name, "liveness": result.liveness, "match": result.match}
    )
    settings = face_settings(services)
    return result.liveness >= settings.face_min_liveness and result.match >= settings.face_min_match
