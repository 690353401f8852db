"""Word classes the intent model cannot learn from a few thousand examples: other apps and
services (a question about 支付宝's password or a WhatsApp ban is not ours to answer), payment
channels (which are ours when coins are involved), and casual English spellings.

Each class becomes one shared feature, and its pairing with the message's synonym concepts
becomes another ("other service + password"), so the model learns the pattern once for every
brand instead of once per brand name.
"""

from __future__ import annotations

import functools
import re

#: Other apps, sites, games, devices and services (normalised, lower case). Chinese forms match as
#: substrings, Latin forms as whole words.
OTHER_SERVICES = (
    # Chinese apps and services
    "微信号",
    "微信账号",
    "微信群",
    "朋友圈",
    "视频号",
    "公众号",
    "qq",
    "qq号",
    "qq邮箱",
    "qq空间",
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
    "快手",
    "b站",
    "哔哩哔哩",
    "bilibili",
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
    "网易",
    "163邮箱",
    "126邮箱",
    "钉钉",
    "飞书",
    "企业微信",
    "12306",
    "携程",
    "去哪儿",
    "王者荣耀",
    "和平精英",
    "原神",
    "英雄联盟",
    "花呗",
    "借呗",
    "余额宝",
    "银行app",
    "手机银行",
    "社保",
    "公积金",
    "医保",
    "路由器",
    "宽带",
    "光猫",
    "打印机",
    "显卡",
    "icloud",
    "苹果id",
    "apple id",
    "appleid",
    "app store",
    "应用商店",
    "移动营业厅",
    "联通",
    "电信",
    # International apps and services
    "whatsapp",
    "facebook",
    "fb",
    "instagram",
    "insta",
    "ig",
    "twitter",
    "snapchat",
    "youtube",
    "twitch",
    "netflix",
    "spotify",
    "amazon",
    "ebay",
    "uber",
    "lyft",
    "doordash",
    "airbnb",
    "gmail",
    "yahoo",
    "hotmail",
    "outlook",
    "icloud mail",
    "proton",
    "linkedin",
    "reddit",
    "pinterest",
    "discord",
    "telegram",
    "zoom",
    "skype",
    "slack",
    "steam",
    "xbox",
    "playstation",
    "psn",
    "nintendo",
    "fortnite",
    "roblox",
    "minecraft",
    "epic games",
    "router",
    "modem",
    "printer",
    "venmo",
    "cash app",
    "credit card bill",
    "bank account",
    "online banking",
    "google account",
    "google drive",
    "dropbox",
    "chatgpt",
    "wechat account",
    "wechat id",
    "kakao",
    "tinder",
)
#: Payment channels: questions about paying for coins through them are ours.
PAYMENT_CHANNELS = (
    "微信支付",
    "微信付",
    "支付宝",
    "银行卡",
    "云闪付",
    "apple pay",
    "alipay",
    "wechat pay",
    "paypal",
    "bank card",
    "debit card",
    "google pay",
    "信用卡",
    "网银",
    "credit card",
    "visa",
    "mastercard",
)
#: Casual English written forms -> the form the model was trained on.
EN_CASUAL = {
    "u": "you",
    "ur": "your",
    "r": "are",
    "y": "why",
    "pls": "please",
    "plz": "please",
    "acct": "account",
    "acc": "account",
    "accnt": "account",
    "vid": "video",
    "vids": "videos",
    "pic": "picture",
    "pics": "pictures",
    "msg": "message",
    "msgs": "messages",
    "pw": "password",
    "pwd": "password",
    "pswd": "password",
    "num": "number",
    "txt": "text",
    "info": "information",
    "govt": "government",
    "ppl": "people",
    "thx": "thanks",
    "cuz": "because",
    "coz": "because",
    "bc": "because",
    "tho": "though",
    "rn": "now",
    "asap": "soon",
    "idk": "unsure",
    "cant": "can not",
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "wont": "will not",
    "dont": "do not",
    "don't": "do not",
    "doesnt": "does not",
    "doesn't": "does not",
    "didnt": "did not",
    "didn't": "did not",
    "isnt": "is not",
    "isn't": "is not",
    "aint": "is not",
    "ain't": "is not",
    "wasnt": "was not",
    "wasn't": "was not",
    "havent": "have not",
    "haven't": "have not",
    "hasnt": "has not",
    "hasn't": "has not",
    "wouldnt": "would not",
    "wouldn't": "would not",
    "couldnt": "could not",
    "couldn't": "could not",
    "shouldnt": "should not",
    "shouldn't": "should not",
    "arent": "are not",
    "aren't": "are not",
    "im": "i am",
    "i'm": "i am",
    "ive": "i have",
    "i've": "i have",
    "i'd": "i would",
    "whats": "what is",
    "what's": "what is",
    "wheres": "where is",
    "where's": "where is",
    "hows": "how is",
    "how's": "how is",
    "thats": "that is",
    "that's": "that is",
    "theres": "there is",
    "there's": "there is",
    "its": "it is",
    "it's": "it is",
    "youre": "you are",
    "you're": "you are",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "have to",
    "lemme": "let me",
    "gimme": "give me",
    "kinda": "kind of",
    "dunno": "unsure",
    "till": "until",
    "til": "until",
    "tmrw": "tomorrow",
    "2day": "today",
    "pf": "profile",
}
_WORD = re.compile(r"[a-z0-9][a-z0-9'’.-]*")


def _matcher(forms: tuple[str, ...]) -> re.Pattern[str]:
    latin = sorted((f for f in forms if f.isascii()), key=len, reverse=True)
    cjk = sorted((f for f in forms if not f.isascii()), key=len, reverse=True)
    parts = [re.escape(f) for f in cjk]
    if latin:
        parts.append(r"(?<![a-z0-9])(?:" + "|".join(re.escape(f) for f in latin) + r")(?![a-z0-9])")
    return re.compile("|".join(parts))


@functools.lru_cache(maxsize=1)
def _matchers() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return _matcher(OTHER_SERVICES), _matcher(PAYMENT_CHANNELS)


def classes_in(text: str) -> list[str]:
    """Word classes in normalised `text`: "other" (another app or service), "pay" (a payment
    channel). A payment channel does not also count as another service."""
    other, pay = _matchers()
    found = []
    if pay.search(text):
        found.append("pay")
    if other.search(pay.sub(" ", text)):
        found.append("other")
    return found


def casual_english(text: str) -> str:
    """Normalised `text` with casual English spellings and contractions written out."""

    def replace(match: re.Match[str]) -> str:
        word = match.group(0).replace("’", "'")
        return EN_CASUAL.get(word, EN_CASUAL.get(word.rstrip(".?!,"), word))

    return _WORD.sub(replace, text)
