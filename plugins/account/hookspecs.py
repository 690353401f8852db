"""Hooks the account plugin offers (added to the plugin manager while account is enabled)."""

from __future__ import annotations

from core.hookspecs import hookspec


@hookspec
def register_sms_providers():
    """Return a list of SMS providers: objects with a `name` and `async send(message)` (a
    `core.notify.Message` whose channel is SMS). `SELFSERVE_SMS_PROVIDER` picks one by name (the account
    plugin installs it in the notifier at start-up); without it SMS messages go to the development
    outbox."""


@hookspec
def register_face_verifiers():
    """Return a list of face verifiers for real-name checks: objects with a `name` and
    `async verify(services, *, user_id, selfie, id_photo) -> plugins.account.face.FaceCheck`
    (liveness of the selfie and its match with the ID photo, 0..1). `SELFSERVE_ACCOUNT_FACE_VERIFIER`
    picks one by name; the account plugin ships `sandbox` (not in production)."""


@hookspec
def real_name_decision(submission, services):
    """Decide a real-name verification automatically (may be async): `submission` is a
    `plugins.account.realname.RealNameSubmission` (user id, name, ID number, birth date, decrypted
    photos). Return `RealNameDecision(approve, note)` to decide it, or None to leave it to a
    reviewer. The first decision returned wins."""
