"""Courses: the catalogue is public, enrolment and lesson progress need the `courses` entitlement
(checked by the GraphQL field extension before these run)."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.db import column
from core.errors import DomainError
from plugins.premium.catalogue import COURSES, Course, course
from plugins.premium.models import CourseEnrollment, LessonProgress


def find_course(key: str, field: str = "courseId") -> Course:
    """The course `key`, or NOT_FOUND."""
    found = course(key)
    if found is None:
        raise DomainError("NOT_FOUND", field=field)
    return found


async def enroll(user_id: int | str, key: str) -> CourseEnrollment:
    """Enrol once: enrolling again returns the existing enrolment."""
    find_course(key)
    existing = await CourseEnrollment.get_or_none(user_id=int(user_id), course=key)
    if existing:
        return existing
    try:
        async with in_transaction():
            return await CourseEnrollment.create(user_id=int(user_id), course=key)
    except IntegrityError:
        return await CourseEnrollment.get(user_id=int(user_id), course=key)


async def enrollment(user_id: int | str, key: str) -> CourseEnrollment:
    """The user's enrolment in `key`, or NOT_ENROLLED."""
    find_course(key)
    found = await CourseEnrollment.get_or_none(user_id=int(user_id), course=key)
    if found is None:
        raise DomainError("NOT_ENROLLED", field="courseId")
    return found


async def complete_lesson(user_id: int | str, course_key: str, lesson_key: str) -> CourseEnrollment:
    """Mark a lesson of an enrolled online course done (repeating it changes nothing)."""
    found_course = find_course(course_key, "lessonId")
    if found_course.format != "ONLINE":
        raise DomainError("NOT_ONLINE_COURSE", field="lessonId")
    if lesson_key not in {lesson.key for lesson in found_course.lessons}:
        raise DomainError("NOT_FOUND", field="lessonId")
    enrolled = await enrollment(user_id, course_key)
    try:
        async with in_transaction():
            await LessonProgress.create(enrollment_id=enrolled.id, lesson=lesson_key)
    except IntegrityError:
        pass  # already completed
    return enrolled


async def completed_lessons(enrollment_ids: list[int]) -> list[list[str]]:
    """Completed lesson keys per enrolment (one query)."""
    rows = await LessonProgress.filter(enrollment_id__in=enrollment_ids).values("enrollment_id", "lesson")
    by_id: dict[int, list[str]] = {i: [] for i in enrollment_ids}
    for row in rows:
        by_id[row["enrollment_id"]].append(row["lesson"])
    return [sorted(by_id[i]) for i in enrollment_ids]


async def enrolled_keys(user_id: int | str) -> set[str]:
    """Courses the user is enrolled in."""
    return set(await column(CourseEnrollment.filter(user_id=int(user_id)), "course"))


def all_courses() -> tuple[Course, ...]:
    """The public catalogue."""
    return COURSES
