"""Domain errors: stable codes, statuses and messages in two languages."""

import importlib
import pkgutil
import re
from pathlib import Path
from string import Formatter

import pytest

import domain
from domain.community.errors import SchoolClosedError
from domain.errors import DomainError, InvalidValueError

# The kernel's errors and every context's (domain/<context>/errors.py).
MODULES = [
    importlib.import_module(info.name)
    for info in pkgutil.walk_packages(domain.__path__, "domain.")
    if info.name.rsplit(".", 1)[-1] == "errors"
]
ERRORS: list[type[DomainError]] = [
    value
    for module in MODULES
    for value in vars(module).values()
    if isinstance(value, type)
    and issubclass(value, DomainError)
    and value is not DomainError
    and value.__module__ == module.__name__
]


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def test_the_brief_s_errors_all_exist() -> None:
    assert {
        "InvalidPeriodError",
        "InvalidValueError",
        "SchoolClosedError",
        "SchoolUnchangedError",
        "CommunityPeriodError",
        "LeadIsMemberError",
        "DuplicateSchoolError",
        "NoMemberSchoolsError",
        "AlreadyMemberError",
        "NotMemberError",
        "LastMemberError",
        "CommunityDissolvedError",
        "OutsideCommunityPeriodError",
        "SchoolNotInCommunityError",
        "ActivityInFutureError",
        "ModeNotAllowedError",
        "DuplicateSubjectError",
        "DuplicateEvidenceError",
        "ParticipantSchoolError",
        "ActivityVoidedError",
        "NothingToCorrectError",
    } <= {error.__name__ for error in ERRORS}


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: e.__name__)
def test_every_error_has_its_own_code_status_and_messages(error: type[DomainError]) -> None:
    assert error.__name__.endswith("Error")
    for attribute in ("code", "zh", "en"):
        assert attribute in vars(error), attribute
    assert re.fullmatch(r"[a-z][a-z0-9_]*", error.code)
    assert error.status in {409, 422}
    assert error.zh.strip()
    assert error.en.strip()
    assert placeholders(error.zh) == placeholders(error.en)


def test_error_codes_are_unique() -> None:
    codes = [error.code for error in ERRORS]
    assert len(codes) == len(set(codes))
    assert DomainError.code not in codes


def test_every_error_is_raised_and_rendered_by_some_domain_test() -> None:
    """The tests render each raised error in both languages (see `support.raises`)."""
    sources = "\n".join(path.read_text() for path in Path(__file__).parent.glob("test_*.py"))
    for error in ERRORS:
        assert re.search(rf"raises\(\s*{error.__name__}\b", sources), error.__name__


def test_params_are_kept_as_strings_and_the_english_message_is_the_exception_text() -> None:
    error = SchoolClosedError(school_id=42, closed_on="2023-07-15")
    assert error.params == {"school_id": "42", "closed_on": "2023-07-15"}
    assert str(error) == (
        "School 42 was closed on 2023-07-15; it can no longer be changed or added to a community."
    )


@pytest.mark.parametrize(
    ("lang", "english"),
    [("en", True), ("en-GB", True), ("EN", True), ("zh-CN", False), ("", False)],
)
def test_message_is_chinese_unless_english_is_asked_for(lang: str, *, english: bool) -> None:
    error = SchoolClosedError(school_id="s1", closed_on="2023-07-15")
    expected = "School s1 was closed" if english else "学校 s1 已于 2023-07-15 关闭"
    assert error.message(lang).startswith(expected)


def test_an_invalid_value_says_which_value_and_why_in_both_languages() -> None:
    error = InvalidValueError(field="title", reason="too_long", limit=200)
    assert error.status == 422
    assert error.params == {"field": "title", "reason": "too_long", "limit": "200"}
    assert error.message("en") == (
        "The title must be at most 200 characters long; correct it and try again."
    )
    assert error.message("zh") == "活动标题不能超过 200 个字符，请修改后重试。"
