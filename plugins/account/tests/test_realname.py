"""Real-name verification through HTTP: ID checks, age, one ID per account, encrypted storage,
photo limits, and the reviewer's decision."""

from __future__ import annotations

from datetime import date

from core.db import use_orm
from plugins.account import api
from plugins.account.models import RealNameVerification
from plugins.account.tests.util import ME, top_code
from tests.helpers import account_user_pk
from tests.real_name import REVIEW, SUBMIT, real_name_input, resident_id, submit_real_name

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200


async def test_submit_masks_the_number_and_is_pending(client):
    account = await client.signup()
    result = await submit_real_name(client, account, resident_id(sequence="123"))
    assert result["__typename"] == "RealNameVerification"
    assert result["status"] == "PENDING" and result["reviewedAt"] is None
    number = resident_id(sequence="123")
    assert result["maskedIdNumber"] == f"1101**********{number[-4:]}"
    me = (await client.gql(ME, token=account.token))["data"]["me"]
    assert me["realNameStatus"] == "PENDING" and me["isAdult"] is None
    # stored encrypted: the number appears nowhere in the row
    with use_orm(client.services.orm):
        row = await RealNameVerification.get(user_id=int(account_user_pk(account)))
    assert number not in repr(row.__dict__) and "张三" not in repr(row.__dict__)
    assert client.services.pii.decrypt_text(row.id_number_enc, f"account.realname:{row.user_id}") == number
    assert top_code(await client.gql(SUBMIT, real_name_input(number))) == "UNAUTHENTICATED"


async def test_invalid_id_numbers(client):
    account = await client.signup()
    good = resident_id()
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    first17 = "11010120230230" + "123"  # 30 February
    cases = [
        "12345",
        good[:17] + "Y",
        bad_check,
        resident_id(born="19900230"),
        resident_id(region="990101"),  # no such province
        resident_id(region="110000"),
        resident_id(born="18991231"),
        resident_id(born=(date.today().replace(year=date.today().year + 1)).strftime("%Y%m%d")),
        first17 + "0",
    ]
    for number in cases:
        result = await submit_real_name(client, account, number)
        assert (result["code"], result["field"]) == ("INVALID_ID_NUMBER", "idNumber"), number
    bad_name = await submit_real_name(client, account, good, name="x")
    assert (bad_name["code"], bad_name["field"]) == ("INVALID_INPUT", "fullName")
    with use_orm(client.services.orm):
        assert await RealNameVerification.all().count() == 0


async def test_minors_are_refused(client):
    account = await client.signup()
    today = date.today()
    seventeen = today.replace(year=today.year - 17).strftime("%Y%m%d") if today.day < 29 else "20100101"
    result = await submit_real_name(client, account, resident_id(born=seventeen))
    assert result["code"] == "UNDERAGE"
    with use_orm(client.services.orm):
        assert await RealNameVerification.all().count() == 0


async def test_one_id_verifies_one_account(client):
    first = await client.signup()
    second = await client.signup()
    number = resident_id(sequence="777")
    assert (await submit_real_name(client, first, number))["status"] == "PENDING"
    result = await submit_real_name(client, second, number.lower())
    assert result["code"] == "ID_ALREADY_USED"
    # a second submission while one is pending is refused
    again = await submit_real_name(client, first, resident_id(sequence="778"))
    assert again["code"] == "INVALID_INPUT"


async def test_photos_by_content_and_size(client):
    account = await client.signup()
    variables = real_name_input(resident_id())
    variables["input"].update({"idFront": None, "idBack": None, "selfie": None})
    fake = await client.upload(
        SUBMIT,
        variables,
        {"input.idFront": ("front.png", b"just text, named .png", "image/png")},
        token=account.token,
    )
    assert fake["data"]["accountRealNameSubmit"]["code"] == "FILE_TYPE_NOT_ALLOWED"
    gif = await client.upload(
        SUBMIT,
        variables,
        {"input.idBack": ("b.gif", b"GIF89a" + b"\0" * 50, "image/gif")},
        token=account.token,
    )
    assert gif["data"]["accountRealNameSubmit"]["code"] == "FILE_TYPE_NOT_ALLOWED"
    big = PNG + b"\x00" * (5 * 1024 * 1024)
    large = await client.upload(
        SUBMIT, variables, {"input.selfie": ("s.png", big, "image/png")}, token=account.token
    )
    result = large["data"]["accountRealNameSubmit"]
    assert (result["code"], result["field"]) == ("FILE_TOO_LARGE", "selfie")
    with use_orm(client.services.orm):
        assert await RealNameVerification.all().count() == 0
    ok = await client.upload(
        SUBMIT,
        variables,
        {
            "input.idFront": ("f.bin", PNG, "application/octet-stream"),
            "input.selfie": ("s.jpg", JPEG, "image/jpeg"),
        },
        token=account.token,
    )
    assert ok["data"]["accountRealNameSubmit"]["status"] == "PENDING"
    with use_orm(client.services.orm):
        row = await RealNameVerification.get(user_id=int(account_user_pk(account)))
    assert set(row.photos_enc) == {"idFront", "selfie"}
    stored = client.services.storage.path_for(row.photos_enc["idFront"]["key"]).read_bytes()
    assert not stored.startswith(b"\x89PNG") and PNG not in stored
    assert client.services.pii.decrypt(stored, f"account.realname:{row.user_id}:idFront") == PNG


async def test_reviewer_decides(client):
    account = await client.signup()
    await submit_real_name(client, account)
    review = {"input": {"userId": account.id, "approve": True, "note": "matches the ID photo"}}
    # the user themself, another user and anonymous may not review
    other = await client.signup()
    assert top_code(await client.gql(REVIEW, review, token=account.token)) == "FORBIDDEN"
    assert top_code(await client.gql(REVIEW, review, token=other.token)) == "FORBIDDEN"
    assert top_code(await client.gql(REVIEW, review)) == "UNAUTHENTICATED"
    reviewer = await client.signup(roles=("REVIEWER",))
    empty = await client.gql(REVIEW, {"input": {**review["input"], "note": " "}}, token=reviewer.token)
    assert empty["data"]["realNameReview"]["code"] == "INVALID_INPUT"
    nobody = await client.gql(
        REVIEW, {"input": {**review["input"], "userId": other.id}}, token=reviewer.token
    )
    assert nobody["data"]["realNameReview"]["code"] == "NOT_FOUND"
    decided = await client.gql(REVIEW, review, token=reviewer.token)
    assert decided["data"]["realNameReview"]["status"] == "VERIFIED"
    twice = await client.gql(REVIEW, review, token=reviewer.token)
    assert twice["data"]["realNameReview"]["code"] == "INVALID_INPUT"
    me = (await client.gql(ME, token=account.token))["data"]["me"]
    assert me["realNameStatus"] == "VERIFIED" and me["isAdult"] is True
    with use_orm(client.services.orm):
        assert await api.is_verified_adult(account_user_pk(account)) is True
        assert await api.is_verified_adult(account_user_pk(other)) is False


async def test_rejected_user_may_submit_again(client):
    account = await client.signup()
    reviewer = await client.signup(roles=("REVIEWER",))
    await submit_real_name(client, account, resident_id(sequence="555"))
    body = await client.gql(
        REVIEW, {"input": {"userId": account.id, "approve": False, "note": "blurry"}}, token=reviewer.token
    )
    assert body["data"]["realNameReview"]["status"] == "REJECTED"
    assert (await submit_real_name(client, account, resident_id(sequence="555")))["status"] == "PENDING"


async def test_id_probing_is_rate_limited_per_user_and_address(client):
    # given an ID number that verifies someone's account
    owner = await client.signup(name="Owner Person")
    number = resident_id(sequence="555")
    assert (await submit_real_name(client, owner, number))["status"] == "PENDING"
    # when another user probes it, the answer never says whose, and the 6th probe is refused
    prober = await client.signup()
    answers = [await submit_real_name(client, prober, number) for _ in range(6)]
    assert [a["code"] for a in answers] == ["ID_ALREADY_USED"] * 5 + ["TOO_MANY_ATTEMPTS"]
    assert all("Owner" not in a["message"] and owner.email not in a["message"] for a in answers)
    # and fresh accounts from the same address stop at 20 ID checks a day
    codes = []
    for _ in range(4):
        account = await client.signup()
        codes += [(await submit_real_name(client, account, number))["code"] for _ in range(5)]
    assert codes.count("ID_ALREADY_USED") == 20 - 6 and codes.count("TOO_MANY_ATTEMPTS") == 6
