"""Bilingual texts of the notifications the account plugin sends (codes and security alerts)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.context import Services
from core.i18n import DEFAULT_LANGUAGE
from core.notify import Message, queue_notification
from plugins.account.models import User

CODE_SUBJECT = {"en": "Your verification code", "zh-CN": "您的验证码"}
CODE_BODY = {
    "en": "Your verification code is {code} ({purpose}). It is valid for 10 minutes and can be used "
    "once. Never share it with anyone, including staff.",
    "zh-CN": "您的验证码是 {code}（{purpose}），10 分钟内有效，仅可使用一次。请勿告诉任何人，包括客服人员。",
}
PURPOSES = {
    "VERIFY_CONTACT": {"en": "confirm a phone or email", "zh-CN": "绑定手机号或邮箱"},
    "RESET_PASSWORD": {"en": "reset your password", "zh-CN": "重置密码"},
    "SENSITIVE_ACTION": {"en": "confirm a sensitive change", "zh-CN": "确认敏感操作"},
}

ALERT_SUBJECT = {"en": "Security alert: {what}", "zh-CN": "账号安全提醒：{what}"}
ALERT_BODY = {
    "en": "{what} on your account ({when} UTC, IP {ip}, device {device}). If this wasn't you, open "
    "Me > Settings > Account security > Security alerts and answer \u201cThis wasn't me\u201d: every "
    "device is signed out and a password reset is required.",
    "zh-CN": "您的账号发生了：{what}（{when} UTC，IP {ip}，设备 {device}）。如果不是您本人操作，请前往"
    "“我 > 设置 > 账号与安全 > 安全提醒”，选择“不是我本人”：所有设备将退出登录，并需要重置密码。",
}
EVENT_TITLES: dict[str, dict[str, str]] = {
    "NEW_DEVICE": {"en": "a sign-in from a new device", "zh-CN": "新设备登录"},
    "NEW_NETWORK": {"en": "a sign-in from a new network", "zh-CN": "新网络环境登录"},
    "FAILED_LOGIN_BURST": {"en": "several failed sign-in attempts", "zh-CN": "多次登录失败"},
    "SECOND_FACTOR_FAILURES": {
        "en": "several wrong two-step codes after a right password: change your password",
        "zh-CN": "密码正确但多次输入错误的两步验证码，请尽快修改密码",
    },
    "SIGN_IN_LOCKED": {
        "en": "sign-in locked after too many failures: reset the password",
        "zh-CN": "登录失败次数过多，已锁定，请重置密码",
    },
    "PASSWORD_CHANGED": {"en": "the password was changed", "zh-CN": "密码已修改"},
    "PASSWORD_RESET": {"en": "the password was reset", "zh-CN": "密码已重置"},
    "CONTACT_CHANGED": {
        "en": "a phone number or email was bound or changed",
        "zh-CN": "绑定的手机号或邮箱已变更",
    },
    "TWO_FACTOR_ENABLED": {"en": "two-step verification was turned on", "zh-CN": "两步验证已开启"},
    "TWO_FACTOR_DISABLED": {"en": "two-step verification was turned off", "zh-CN": "两步验证已关闭"},
    "RECOVERY_CODE_USED": {"en": "a recovery code was used to sign in", "zh-CN": "使用恢复码登录"},
    "ACCOUNT_SECURED": {
        "en": "all devices were signed out after an unrecognised activity",
        "zh-CN": "因异常活动，所有设备已退出登录",
    },
    "DELETION_REQUESTED": {"en": "account deletion was requested", "zh-CN": "已申请注销账号"},
    "DELETION_CANCELLED": {"en": "account deletion was cancelled", "zh-CN": "已取消注销账号"},
    "SUPPORT_SESSIONS_REVOKED": {
        "en": "support signed out all your devices, as you asked in your ticket",
        "zh-CN": "客服已按您的工单请求退出您所有设备的登录",
    },
    "SUPPORT_TWO_FACTOR_RESET": {
        "en": "support turned off two-step verification, as you asked in your ticket",
        "zh-CN": "客服已按您的工单请求关闭两步验证",
    },
    "SUPPORT_CONTACT_REMOVED": {
        "en": "support removed a phone number or email from your account, as you asked in your ticket",
        "zh-CN": "客服已按您的工单请求移除账号绑定的手机号或邮箱",
    },
}


REGISTRATION_SUBJECT = {
    "en": "Someone tried to register with your address",
    "zh-CN": "有人尝试用您的联系方式注册",
}
REGISTRATION_BODY = {
    "en": "Someone tried to create a new account with this email or phone number ({when} UTC, IP {ip}). "
    "It is already yours, so nothing was linked to the new account. If this was you, simply sign in "
    "or reset your password. If not, you can ignore this message.",
    "zh-CN": "有人尝试用此邮箱或手机号注册新账号（{when} UTC，IP {ip}）。该联系方式已属于您的账号，"
    "因此没有关联到新账号。如果是您本人，请直接登录或找回密码；如果不是，可忽略本消息。",
}


async def tell_owner_of_registration_attempt(
    services: Services, column: str, target: str, client: Any
) -> None:
    """A notice to the owner of a contact someone tried to register again (instead of telling
    the registrant that it is taken)."""
    match: dict[str, Any] = {column: target}
    owner = await User.get_or_none(**match)
    language = owner.language if owner else client.language
    params = {"when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"), "ip": client.ip or "-"}
    await queue_notification(
        services,
        Message(
            channel="EMAIL" if column == "email" else "SMS",
            target=target,
            subject=pick(REGISTRATION_SUBJECT, language),
            body=pick(REGISTRATION_BODY, language, **params),
            kind="registration_attempt",
            user_id=str(owner.pk) if owner else None,
        ),
    )


def pick(texts: dict[str, str], language: str | None, **params: Any) -> str:
    """The text in `language` (default: the platform default) with `params` filled in."""
    template = texts.get(language or DEFAULT_LANGUAGE) or texts[DEFAULT_LANGUAGE]
    return template.format(**params)
