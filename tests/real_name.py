"""Real-name verification as a user submits it and a reviewer decides it, and valid resident ID
numbers to submit (the account, portal and conflict-of-interest tests use them)."""

from __future__ import annotations

from typing import Any

from plugins.account.idnumber import check_digit

SUBMIT = """
mutation Submit($input: AccountRealNameSubmitInput!) {
  accountRealNameSubmit(input: $input) {
    __typename
    ... on RealNameVerification { status maskedIdNumber submittedAt reviewedAt }
    ... on AccountError { code field message }
  }
}
"""
REVIEW = """
mutation Review($input: RealNameReviewInput!) {
  realNameReview(input: $input) {
    __typename
    ... on RealNameVerification { status reviewedAt }
    ... on AccountError { code field }
  }
}
"""


def resident_id(region: str = "110101", born: str = "19900307", sequence: str = "123") -> str:
    """A valid 18-digit resident ID number."""
    first17 = region + born + sequence
    return first17 + check_digit(first17)


def real_name_input(number: str, name: str = "张三") -> dict[str, Any]:
    """The variables of `accountRealNameSubmit` for an ID number and a name."""
    return {"input": {"fullName": name, "idNumber": number}}


async def submit_real_name(client: Any, account: Any, number: str | None = None, name: str = "张三") -> dict:
    """Submit a real-name verification (a valid ID number unless told); returns the result object."""
    body = await client.gql(SUBMIT, real_name_input(number or resident_id(), name), token=account.token)
    return body["data"]["accountRealNameSubmit"]
