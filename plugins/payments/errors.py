"""The payments plugin's error codes and their messages in both languages."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "INSUFFICIENT_BALANCE": {
        "en": "Your wallet holds {balance} coins, {needed} are needed. Top up first.",
        "zh-CN": "钱包余额为 {balance} 抖币，需要 {needed} 抖币，请先充值。",
    },
    "COINS_ALREADY_SPENT": {
        "en": "The coins of this top-up have already been spent ({balance} of {coins} left), so it cannot be refunded.",
        "zh-CN": "该笔充值的抖币已被使用（剩余 {balance}/{coins}），无法退款。",
    },
    "NOT_REFUNDABLE": {
        "en": "This order cannot be refunded: {detail}",
        "zh-CN": "该订单无法退款：{detail}",
    },
    "REFUND_WINDOW_EXPIRED": {
        "en": "Top-ups can be refunded within {days} days of payment. This one is older.",
        "zh-CN": "充值仅支持在付款后 {days} 天内退款，该订单已超出期限。",
    },
    "IDEMPOTENCY_KEY_REUSED": {
        "en": "This idempotency key was already used with different input. Use a new key for a new request.",
        "zh-CN": "该幂等键已用于不同的请求内容，新的请求请使用新的幂等键。",
    },
    "VERIFICATION_REQUIRED": {
        "en": "Recharges and purchases need real-name verification and age 18 or older.",
        "zh-CN": "充值和购买需要完成实名认证且年满 18 周岁。",
    },
    "INVALID_AMOUNT": {
        "en": "A top-up must be between {min} and {max} coins.",
        "zh-CN": "单笔充值须在 {min} 到 {max} 抖币之间。",
    },
    "DAILY_LIMIT_EXCEEDED": {
        "en": "At most {limit} coins can be topped up per day. {remaining} remain today.",
        "zh-CN": "每日充值上限为 {limit} 抖币，今日还可充值 {remaining} 抖币。",
    },
    "UNKNOWN_CHANNEL": {
        "en": "Unknown payment channel “{channel}”. Available: {available}.",
        "zh-CN": "不支持的支付渠道“{channel}”。可用渠道：{available}。",
    },
    "UNKNOWN_PRODUCT": {
        "en": "Unknown product “{product}”.",
        "zh-CN": "不存在的商品“{product}”。",
    },
}

CODES = tuple(MESSAGES)
