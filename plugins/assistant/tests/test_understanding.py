"""The rewrites that make messy chat readable, the other-platform rule, the asking sentence of a
long message and the yes/no words (pure functions; the HTTP-level quality is test_quality.py)."""

from __future__ import annotations

import pytest

from core.text import normalize
from plugins.assistant.actions.state import is_no, is_yes
from plugins.assistant.nlu.brands import other_platform
from plugins.assistant.nlu.colloquial import canonical
from plugins.assistant.nlu.focus import asking_part


def _canon(text: str) -> str:
    return canonical(normalize(text))


@pytest.mark.parametrize(
    ("messy", "plain"),
    [
        ("帳號登陆不了", "账号登录不了"),  # traditional + homophone
        ("冲值的金币没到", "充值的币没到"),
        ("唔記得密碼，點算", "忘记密码,怎么办"),  # Cantonese
        ("我淨係撳咗一次", "我只是按了一次"),
        ("mm忘了😭", "密码忘了"),  # pinyin initials, emoji
        ("芭比Q了，号被封了", "完了,账号被封禁了"),  # slang, 号 alone
        ("上傳影片", "上传视频"),  # Taiwan vocabulary
        ("怎么", "怎么"),  # OpenCC's tw2sp would write 怎幺
    ],
)
def test_messy_chinese_reads_as_plain_mandarin(messy, plain):
    assert _canon(messy) == plain


def test_mandarin_is_left_alone_without_a_cantonese_marker():
    assert _canon("系统提示点击这里") == "系统提示点击这里"


@pytest.mark.parametrize(
    "text",
    [
        "forgot my chase app password",
        "在B站开直播需要多少粉丝",
        "Steam钱包充值失败了",
        "工行app登录提示账户异常",
        "微信的dark mode在哪里开",
        "locked out of my outlook, forgot the password",
        "用PR剪的视频导出来很糊",
    ],
)
def test_other_platforms_are_recognised(text):
    assert other_platform(_canon(text))


@pytest.mark.parametrize(
    "text",
    [
        "用微信支付充值失败",  # a payment channel for our coins
        "gmail收不到验证码",  # the bound contact, our codes
        "当初是用微信一键登的，现在想绑手机",
        "你们的app和B站比哪个好用",  # points at us
        "money left my bank account but coins never showed up",
        "付款失败但是银行说扣钱了",
        "用剪映剪的视频传不上去",  # uploading to us
    ],
)
def test_our_own_questions_are_not_taken_for_other_platforms(text):
    assert other_platform(_canon(text)) is None


def test_a_long_message_is_read_for_its_question():
    text = _canon("昨晚剪了一晚上的视频。今天发的时候一直卡在99%然后就失败了。wifi和流量都试了。到底咋回事")
    assert asking_part(text) == "到底怎么回事"
    assert asking_part(_canon("怎么改密码")) is None  # short: the whole message asks


def test_yes_and_no_words():
    assert all(is_yes(normalize(w)) for w in ("好的", "yes", "OK", "确认", "go ahead"))
    assert all(is_no(normalize(w)) for w in ("算了", "不用了", "no", "Cancel", "取消"))
    assert not is_yes("好的，那退款多久到账") and not is_no("不知道怎么改密码")
