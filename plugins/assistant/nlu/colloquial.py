"""Messy chat Chinese (and a little English) rewritten into the plain form the model learns from:
traditional characters and Taiwanese/Hong Kong vocabulary (OpenCC's data), Cantonese function
words, homophone typos (登陆, 帐号, 冲值), pinyin abbreviations (mm, zh, yzm), internet slang,
and emoji. Every rewrite is a plain table so a new spelling is one line; `canonical` is applied
to the training texts and to every message alike.
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: Cantonese words -> Mandarin, applied only when the message has a Cantonese marker (so the
#: Mandarin 系统 or 点击 are left alone). Longer forms first.
CANTONESE = {
    "唔记得": "忘记",
    "系统": "系统",
    "关系": "关系",
    "联系": "联系",
    "点击": "点击",
    "一点": "一点",
    "返回": "返回",
    "识别": "识别",
    "认识": "认识",
    "唔该": "请",
    "得唔得": "可以吗",
    "可唔可以": "可不可以",
    "系唔系": "是不是",
    "系咪": "是不是",
    "使唔使": "要不要",
    "有冇": "有没有",
    "点样": "怎么",
    "点解": "为什么",
    "点先": "怎么才",
    "点算": "怎么办",
    "乜嘢": "什么",
    "咩事": "什么事",
    "边度": "哪里",
    "边个": "谁",
    "几时": "什么时候",
    "几耐": "多久",
    "几多": "多少",
    "我哋": "我们",
    "你哋": "你们",
    "佢哋": "他们",
    "而家": "现在",
    "啱啱": "刚刚",
    "琴日": "昨天",
    "寻日": "昨天",
    "听日": "明天",
    "净系": "只是",
    "呢个": "这个",
    "呢条": "这条",
    "呢度": "这里",
    "嗰个": "那个",
    "嗰条": "那条",
    "嘢": "东西",
    "咩": "什么",
    "乜": "什么",
    "佢": "他",
    "咗": "了",
    "嘅": "的",
    "喺": "在",
    "啲": "些",
    "冇": "没有",
    "唔": "不",
    "嚟": "来",
    "睇": "看",
    "搵": "找",
    "谂": "想",
    "揿": "按",
    "撳": "按",
    "攞": "拿",
    "畀": "给",
    "俾": "给",
    "咁": "这么",
    "嗰": "那",
    "点": "怎么",
    "系": "是",
    "吓": "一下",
    "返": "回",
    "识": "会",
}
#: A message is Cantonese when it has one of these (after conversion to simplified).
CANTONESE_MARKERS = re.compile(r"[咗唔嘅冇喺啲佢嘢咁乜揿撳畀俾睇搵谂嗰咩嚟哋喎㗎啱攞]|点样|点解|系咪|而家")
#: Sentence-final particles with no meaning for the question.
PARTICLES = re.compile(r"[喎㗎囉咯啦嘞噃啫呐哒]|(?<=[\u4e00-\u9fff])(?:呀|哈|捏|滴|哇)(?=[\s，。！？,.!?]|$)")

#: Homophone and typing errors, and regional words OpenCC leaves alone -> the standard word.
TYPOS = {
    "登陆": "登录",
    "登入": "登录",
    "登路": "登录",
    "帐号": "账号",
    "帐户": "账户",
    "帐单": "账单",
    "帐": "账",
    "冲值": "充值",
    "充直": "充值",
    "冲钱": "充钱",
    "储值": "充值",
    "视屏": "视频",
    "短视屏": "短视频",
    "影片": "视频",
    "验证吗": "验证码",
    "验证马": "验证码",
    "严正码": "验证码",
    "密吗": "密码",
    "密马": "密码",
    "秘码": "密码",
    "申述": "申诉",
    "伸诉": "申诉",
    "退费": "退款",
    "退钱": "退款",
    "手机号码": "手机号",
    "门号": "手机号",
    "简讯": "短信",
    "信箱": "邮箱",
    "电邮": "邮箱",
    "邮件地址": "邮箱",
    "帐密": "账号密码",
    "帐户名": "账号",
    "户口": "账号",
    "客服人员": "客服",
    "实明": "实名",
    "身分证": "身份证",
    "认正": "认证",
    "上转": "上传",
    "上穿": "上传",
    "删掉": "删除",
    "注消": "注销",
    "註销": "注销",
    "封了": "封禁了",
    "封号": "封禁账号",
    "被封": "被封禁",
    "解封": "解除封禁",
    "撤下": "下架",
    "撤掉": "下架",
    "下掉": "下架",
    "直拨": "直播",
    "开播": "开直播",
    "金币": "币",
    "币币": "币",
    "点数": "币",
}
#: Internet slang -> plain words (zh); laughter and fillers are removed.
SLANG = {
    "芭比q了": "完了",
    "芭比q": "完了",
    "白嫖": "免费用",
    "掏钱": "付费",
    "花钱": "付费",
    "氪金": "充值",
    "氪": "充值",
    "xdm": "大家",
    "集美们": "大家",
    "宝子们": "大家",
    "宝子": "",
    "家人们": "大家",
    "绝绝子": "",
    "无语子": "无语",
    "破防了": "",
    "栓q": "",
    "我真的会谢": "",
    "yyds": "",
    "awsl": "",
    "xswl": "",
    "nbcs": "",
    "nb": "",
    "hhh": "",
    "hh": "",
    "233": "",
    "orz": "",
    "qaq": "",
    "tat": "",
    "lol": "",
    "lmao": "",
    "omg": "",
    "pls": "please",
    "plz": "please",
    "咋整": "怎么办",
    "咋办": "怎么办",
    "咋弄": "怎么弄",
    "咋": "怎么",
    "啥": "什么",
    "木有": "没有",
    "没得": "没有",
    "莫得": "没有",
    "弄不了": "不能",
    "搞不了": "不能",
    "整不了": "不能",
}
#: Pinyin initials people type for common words (only inside a Chinese message).
PINYIN = {
    "mm": "密码",
    "zh": "账号",
    "zhh": "账号",
    "yzm": "验证码",
    "sfz": "身份证",
    "smrz": "实名认证",
    "sm": "实名",
    "kf": "客服",
    "rg": "人工",
    "zb": "直播",
    "sp": "视频",
    "tk": "退款",
    "cz": "充值",
    "dl": "登录",
    "zc": "注册",
    "sj": "手机",
    "sjh": "手机号",
    "bd": "绑定",
    "ss": "申诉",
    "fh": "封号",
    "jf": "解封",
    "gg": "完了",
    "dd": "",
    "bb": "",
    "ps": "",
}
#: 号 alone means the account; not inside 账号, 手机号, 型号, 号码...
_LONE_HAO = re.compile(r"(?<![账帐机信型编序单卡暗符字口称位挂订信0-9a-z号记])号(?![码])")
#: 播 alone is going live ("想播一下", "第一次播"), not 播放, 广播, 主播...
_LONE_BO = re.compile(r"(?<![直转传广重点主联轮首开下开])播(?![放出客报音种])")
_LATIN_TOKEN = re.compile(r"(?<![a-z0-9])[a-z]{1,5}(?![a-z0-9])")
_SPACES = re.compile(r"\s+")


def _alternation(words) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@functools.lru_cache(maxsize=1)
def _tables():
    from opencc import OpenCC

    slang = SLANG
    latin_slang = {k: v for k, v in slang.items() if k.isascii()}
    cjk_slang = {k: v for k, v in slang.items() if not k.isascii()}
    return (
        OpenCC("tw2sp"),  # traditional + Taiwan phrases (影片, 登入, 软体...) -> simplified
        _alternation(CANTONESE),
        _alternation(TYPOS),
        _alternation(cjk_slang),
        re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, latin_slang)) + r")(?![a-z0-9])"),
        latin_slang,
        cjk_slang,
    )


def strip_emoji(text: str) -> str:
    """Emoji, pictographs, their joiners and variation selectors become spaces."""
    out = []
    for ch in text:
        code = ord(ch)
        if code >= 0x1F000 or 0x2600 <= code <= 0x27BF or code in (0x200D, 0xFE0F, 0x20E3):
            out.append(" ")
        elif unicodedata.category(ch) == "So":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def has_chinese(text: str) -> bool:
    """True when `text` has at least one CJK ideograph."""
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def canonical(text: str) -> str:
    """Normalised (lower-case, NFKC) `text` rewritten into plain simplified Mandarin words."""
    converter, cantonese, typos, cjk_slang, latin_slang, latin_map, cjk_map = _tables()
    text = strip_emoji(text)
    if has_chinese(text):
        text = converter.convert(text).replace("幺", "么")  # tw2sp turns 么 into 幺
        if CANTONESE_MARKERS.search(text):
            text = cantonese.sub(lambda m: CANTONESE[m.group(0)], text)
        text = PARTICLES.sub("", text)
        text = typos.sub(lambda m: TYPOS[m.group(0)], text)
        text = cjk_slang.sub(lambda m: cjk_map[m.group(0)], text)
        text = _LONE_HAO.sub("账号", text)
        text = _LONE_BO.sub("直播", text)
        text = _LATIN_TOKEN.sub(lambda m: PINYIN.get(m.group(0), m.group(0)), text)
    text = latin_slang.sub(lambda m: latin_map[m.group(0)], text)
    return _SPACES.sub(" ", text).strip()
