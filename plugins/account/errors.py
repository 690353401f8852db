"""The account plugin's error codes and their messages in both languages."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "INVALID_CREDENTIALS": {
        "en": "The account or password is incorrect.",
        "zh-CN": "账号或密码错误。",
    },
    "WEAK_PASSWORD": {
        "en": "Choose a password of 8 to 128 characters that is not a common password.",
        "zh-CN": "请设置 8 到 128 位、且不是常见密码的新密码。",
    },
    "ALREADY_REGISTERED": {
        "en": "This email or phone number is already registered. Sign in or reset the password.",
        "zh-CN": "该邮箱或手机号已注册，请直接登录或找回密码。",
    },
    "INVALID_CODE": {
        "en": "The verification code is wrong or has expired.",
        "zh-CN": "验证码错误或已过期。",
    },
    "TOO_MANY_ATTEMPTS": {
        "en": "Too many attempts. Try again in {retry_after} seconds.",
        "zh-CN": "尝试次数过多，请在 {retry_after} 秒后重试。",
    },
    "INVALID_TOKEN": {
        "en": "This sign-in has expired. Please sign in again.",
        "zh-CN": "登录状态已失效，请重新登录。",
    },
    "INVALID_ID_NUMBER": {
        "en": "The ID number is not a valid 18-digit resident ID.",
        "zh-CN": "身份证号码无效，请填写 18 位居民身份证号。",
    },
    "UNDERAGE": {
        "en": "You must be 18 or older to complete real-name verification.",
        "zh-CN": "实名认证需年满 18 周岁。",
    },
    "ID_ALREADY_USED": {
        "en": "This ID has already verified another account.",
        "zh-CN": "该身份证已用于认证其他账号。",
    },
    "OPEN_TICKET_REQUIRED": {
        "en": "This needs an open ticket from this user; ask them to contact support first.",
        "zh-CN": "需要该用户提交的未关闭工单，请先让用户联系客服。",
    },
    "LAST_ADMIN": {
        "en": "You are the last administrator and cannot remove your own ADMIN role.",
        "zh-CN": "你是最后一位管理员，不能移除自己的管理员角色。",
    },
    "NOTHING_TO_UNBIND": {
        "en": "There is nothing to remove: the contact or setting is not on this account.",
        "zh-CN": "该账号没有可移除的联系方式或设置。",
    },
    "REAUTH_REQUIRED": {
        "en": "Confirm it's you: enter your password or a verification code first.",
        "zh-CN": "请先验证身份：输入密码或验证码。",
    },
    "PASSWORD_RESET_REQUIRED": {
        "en": "For your security, reset your password before signing in.",
        "zh-CN": "为保障账号安全，请先重置密码再登录。",
    },
    "FILE_TOO_LARGE": {
        "en": "The file is too large (at most {limit_mb} MB).",
        "zh-CN": "文件过大（不超过 {limit_mb} MB）。",
    },
    "FILE_TYPE_NOT_ALLOWED": {
        "en": "Upload a JPEG or PNG image.",
        "zh-CN": "请上传 JPEG 或 PNG 格式的图片。",
    },
}

CODES = tuple(MESSAGES)

#: Messages that are not error codes (shown in typed results).
NOTICES: dict[str, dict[str, str]] = {
    "PASSWORD_UPDATED": {
        "en": "Your password was updated. Other devices have been signed out.",
        "zh-CN": "密码已更新，其他设备已退出登录。",
    },
    "SECOND_FACTOR_REQUIRED": {
        "en": "Enter the 6-digit code from your authenticator app, or a recovery code.",
        "zh-CN": "请输入身份验证器中的 6 位动态码，或一个恢复码。",
    },
}
