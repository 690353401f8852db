"""Questions about someone else's product: "forgot my chase app password", "B站开直播要多少粉丝",
"Steam钱包充值失败". They use our vocabulary (password, live, recharge) but are not ours to answer,
and a few thousand training examples cannot teach every brand, so a rule decides: a message whose
subject is another platform (a bank, a game, another video, social, shopping or payment app) is out
of domain unless it also points at us ("你们", "this app"); a mail or messaging service is only
ours when the message is about binding it or receiving our codes there.
"""

from __future__ import annotations

import functools
import re

#: Other platforms with their own accounts, money and features (normalised, simplified Chinese).
#: Chinese forms match as substrings, Latin forms as whole words.
PLATFORMS = (
    # video, live and social apps
    "b站",
    "哔哩哔哩",
    "bilibili",
    "快手",
    "小红书",
    "微博",
    "知乎",
    "豆瓣",
    "虎牙",
    "斗鱼",
    "西瓜视频",
    "爱奇艺",
    "优酷",
    "腾讯视频",
    "芒果tv",
    "网易云",
    "视频号",
    "公众号",
    "朋友圈",
    "微信群",
    "企业微信",
    "钉钉",
    "飞书",
    "陌陌",
    "探探",
    "soul",
    "youtube",
    "twitch",
    "netflix",
    "spotify",
    "instagram",
    "insta",
    "facebook",
    "whatsapp",
    "twitter",
    "snapchat",
    "reddit",
    "pinterest",
    "discord",
    "telegram",
    "linkedin",
    "tinder",
    "kakao",
    "line app",
    "zoom",
    "skype",
    "slack",
    "hulu",
    "disney+",
    "disney plus",
    "vimeo",
    "onlyfans",
    "patreon",
    # shopping, travel and services
    "淘宝",
    "天猫",
    "京东",
    "拼多多",
    "闲鱼",
    "美团",
    "饿了么",
    "大众点评",
    "滴滴",
    "高德",
    "百度",
    "12306",
    "携程",
    "去哪儿",
    "飞猪",
    "得物",
    "唯品会",
    "shopee",
    "lazada",
    "amazon",
    "ebay",
    "aliexpress",
    "temu",
    "shein",
    "etsy",
    "uber",
    "lyft",
    "doordash",
    "airbnb",
    "booking.com",
    "deliveroo",
    "instacart",
    # games and stores
    "steam",
    "xbox",
    "playstation",
    "ps4",
    "ps5",
    "psn",
    "nintendo",
    "switch游戏",
    "fortnite",
    "roblox",
    "minecraft",
    "epic games",
    "王者荣耀",
    "和平精英",
    "原神",
    "英雄联盟",
    "lol账号",
    "游戏账号",
    "游戏里",
    "游戏内",
    "手游",
    "网游",
    "steam钱包",
    "genshin",
    "valorant",
    "任天堂",
    "索尼",
    "暴雪",
    "米哈游",
    "网易游戏",
    "腾讯游戏",
    "ubisoft",
    "blizzard",
    "riot games",
    "ea account",
    "battle.net",
    "乐高",
    # money
    "花呗",
    "借呗",
    "余额宝",
    "微粒贷",
    "京东白条",
    "白条",
    "网商银行",
    "手机银行",
    "网银盾",
    "银行app",
    "工行",
    "建行",
    "农行",
    "中行",
    "招行",
    "交行",
    "邮储",
    "工商银行",
    "建设银行",
    "农业银行",
    "中国银行",
    "招商银行",
    "交通银行",
    "浦发",
    "民生银行",
    "平安银行",
    "汇丰",
    "恒生",
    "中银",
    "chase",
    "wells fargo",
    "bank of america",
    "citibank",
    "citi",
    "hsbc",
    "barclays",
    "capital one",
    "revolut",
    "monzo",
    "online banking",
    "venmo",
    "cash app",
    "zelle",
    "coinbase",
    "binance",
    "robinhood",
    "支付宝账号",
    "支付宝密码",
    "paypal account",
    "paypal password",
    "股票",
    "炒股",
    # utilities and password managers
    "1password",
    "bitwarden",
    "lastpass",
    "keepass",
    "chatgpt",
    "社保",
    "公积金",
    "医保",
    "个税",
    "签证",
)
#: Software, systems and devices: ours only when the message is about using them with us
#: (uploading what they made, running our app on them).
TOOLS = (
    "windows",
    "macos",
    "mac电脑",
    "iphone系统",
    "ios系统",
    "安卓系统",
    "office",
    "excel",
    "word文档",
    "photoshop",
    "premiere",
    "pr",
    "剪映",
    "capcut",
    "final cut",
    "davinci",
    "达芬奇",
    "chrome",
    "浏览器设置",
    "路由器",
    "光猫",
    "打印机",
    "显卡",
    "router",
    "modem",
    "printer",
    "ps软件",
)
#: Mail, messaging and sign-in services: ours only when they are the contact bound to the
#: account or where our codes go.
CONTACT_SERVICES = (
    "qq",
    "qq号",
    "qq邮箱",
    "qq空间",
    "163邮箱",
    "126邮箱",
    "网易邮箱",
    "新浪邮箱",
    "gmail",
    "yahoo",
    "hotmail",
    "outlook",
    "icloud",
    "proton",
    "protonmail",
    "apple id",
    "appleid",
    "苹果id",
    "google account",
    "谷歌账号",
    "微信",
    "微信号",
    "微信账号",
    "wechat",
    "wechat id",
    "wechat account",
)
#: Names of "some app": "my chase app", "chase app password" (not "the app", "my phone app").
_LATIN_APP = re.compile(
    r"\b(?:my|the) (?!(?:phone|mobile|auth|authenticator|new|old|android|iphone|ios|camera|video|own|"
    r"same|whole|web|desktop|main|official|help|support|other|banking|settings|gallery|photos)\b)"
    r"[a-z][a-z0-9]+ app\b|"
    r"\b(?!(?:the|your|this|that|our|my|a|an|mobile|phone|android|iphone|ios|new|old|web|desktop|"
    r"auth|authenticator|change|open|update|with|same|official)\b)[a-z][a-z0-9]+ app "
    r"(?:account|password|login|says|said|keeps|locked|wallet)\b"
)
_GENERIC_BANK = re.compile(
    r"(?:工商|建设|农业|中国|招商|交通|邮政|邮储|浦发|民生|平安|兴业|光大|华夏|中信|广发|北京|上海|江苏|浙商|"
    r"宁波|微众|网商|农商|花旗|汇丰|渣打|恒生)银行(?!卡)|\b(?!(?:my|the|your|a|to|from|of|in|by|via)\b)[a-z]+ bank\b(?! card| account| transfer| statement)"
)
#: The message points at us as well ("你们的 app", "on here").
_OURS = re.compile(
    r"你们|贵平台|本平台|这个平台|咱们平台|这平台|在这里|这边的|你家|咱家|抖币|抖音|\btiktok\b|\bdouyin\b|"
    r"\b(?:your|this) (?:app|platform|site|service)\b|\bon here\b|\byour account\b"
)
#: Binding a contact or receiving our codes through it.
_CONTACT_USE = re.compile(
    r"验证码|验证|绑|换成|改成|收不到|通知|注册|用\S{0,4}登|一键登|第三方|授权|充|币|支付|付款|"
    r"\b(?:code|codes|verif\w*|bind\w*|link\w*|sign up|signup|notification\w*|register\w*|"
    r"change (?:my |the )?email|update (?:my |the )?email|log ?in with|sign ?in with|pay with|"
    r"coins?|recharge|top ?up)\b"
)

#: Using a tool with us: uploading what it made, running our app on it.
_TOOL_USE = re.compile(
    r"上传|发布|发不|传不|传上|审核|下架|能用|支持|用得了|打开你|"
    r"\b(?:upload\w*|post\w*|publish\w*|work on|works on|use (?:it|this) on|supported)\b"
)


def _matcher(forms: tuple[str, ...]) -> re.Pattern[str]:
    latin = sorted((f for f in forms if f.isascii()), key=len, reverse=True)
    cjk = sorted((f for f in forms if not f.isascii()), key=len, reverse=True)
    parts = [re.escape(f) for f in cjk]
    if latin:
        parts.append(r"(?<![a-z0-9])(?:" + "|".join(re.escape(f) for f in latin) + r")(?![a-z0-9])")
    return re.compile("|".join(parts))


@functools.lru_cache(maxsize=1)
def _matchers() -> tuple[re.Pattern[str], ...]:
    from plugins.assistant.nlu.lexicon import PAYMENT_CHANNELS

    return _matcher(PLATFORMS), _matcher(CONTACT_SERVICES), _matcher(TOOLS), _matcher(PAYMENT_CHANNELS)


def _names_an_app(text: str) -> bool:
    return bool(_LATIN_APP.search(text) or _GENERIC_BANK.search(text))


def other_platform(text: str) -> str | None:
    """The other platform canonical `text` is about, or None when it may be about us."""
    platforms, contacts, tools, payment_channels = _matchers()
    if _OURS.search(text):
        return None
    text = payment_channels.sub(" ", text)  # 微信支付 and 支付宝 pay for our coins
    found = platforms.search(text)
    if found:
        return found.group(0)
    if _names_an_app(text):
        return "app"
    found = contacts.search(text)
    if found and not _CONTACT_USE.search(text):
        return found.group(0)
    found = tools.search(text)
    if found and not _TOOL_USE.search(text):
        return found.group(0)
    return None
