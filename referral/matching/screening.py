# ruff: noqa: E501 -- the question wording reads better on one line each.
"""The AHC health-related social needs core screening, in our own words, turned into needs.

Ten questions in five domains (living situation, food, transportation, utilities,
safety). Answers are short codes so forms, the API and tests share them; scoring follows
the published screening's rules (any "sometimes"/"often" food answer is a need, a safety
score of 11 or more out of 20 is a need).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from referral.matching.assessment import InvalidClient, Need

SAFETY_THRESHOLD = 11  # sum of the four safety answers (1-5 each) that signals a need
FREQUENCY = (("never", "Never"), ("rarely", "Rarely"), ("sometimes", "Sometimes"),
             ("fairly-often", "Fairly often"), ("frequently", "Frequently"))  # fmt: skip
FOOD = (("often", "Often true"), ("sometimes", "Sometimes true"), ("never", "Never true"))


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    options: tuple[tuple[str, str], ...]
    multiple: bool = False


QUESTIONS: tuple[Question, ...] = (
    Question("living_situation", "Where are you living right now?", (
        ("steady", "A steady place to live"),
        ("worried", "A steady place for now, but I am worried about losing it"),
        ("no-steady-place", "No steady place (a shelter, a car, outside, or staying with others for a while)"),
    )),
    Question("housing_problems", "Does your home have any of these problems? (choose all)", (
        ("pests", "Bugs, mice or rats"), ("mold", "Mold"), ("lead", "Lead paint or pipes"),
        ("no-heat", "Heating does not work"), ("no-stove", "Stove or oven does not work"),
        ("no-smoke-detector", "Smoke detectors missing or not working"),
        ("leaks", "Water leaks"), ("none", "None of these"),
    ), multiple=True),
    Question("food_worry", "In the past year, did you worry that food would run out before you had money to buy more?", FOOD),
    Question("food_ran_out", "In the past year, did the food you bought run out with no money to get more?", FOOD),
    Question("transportation", "In the past year, has a lack of transportation kept you from appointments, work, or getting things you need?", (
        ("yes", "Yes"), ("no", "No"),
    )),
    Question("utilities", "In the past year, has a power, gas or water company threatened to shut off your service?", (
        ("yes", "Yes"), ("no", "No"), ("shut-off", "Service is already shut off"),
    )),
    Question("safety_hurt", "How often does anyone, including family or a partner, physically hurt you?", FREQUENCY),
    Question("safety_insult", "How often does anyone insult you or talk down to you?", FREQUENCY),
    Question("safety_threaten", "How often does anyone threaten you with harm?", FREQUENCY),
    Question("safety_scream", "How often does anyone scream or curse at you?", FREQUENCY),
)  # fmt: skip
BY_ID = {q.id: q for q in QUESTIONS}
SAFETY = ("safety_hurt", "safety_insult", "safety_threaten", "safety_scream")


def needs_from_screening(answers: Any, path: str = "screening") -> tuple[Need, ...]:
    checked = _checked(answers, path)
    needs = [
        *_housing(checked),
        *_food(checked),
        *_simple(checked, "transportation", {"yes"}, "transportation-insecurity"),
        *_utilities(checked),
        *_safety(checked),
    ]
    return tuple(needs)


def _checked(answers: Any, path: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(answers, Mapping):
        raise InvalidClient(path, "must be an object of question id -> answer")
    checked = {}
    for qid, raw in answers.items():
        question = BY_ID.get(qid)
        if question is None:
            raise InvalidClient(f"{path}.{qid}", f"unknown question (known: {', '.join(BY_ID)})")
        values = tuple(raw) if question.multiple and isinstance(raw, list) else (raw,)
        allowed = {value for value, _ in question.options}
        for value in values:
            if value not in allowed:
                raise InvalidClient(
                    f"{path}.{qid}", f"{value!r} is not one of {', '.join(allowed)}"
                )
        checked[qid] = values
    return checked


def _housing(answers: dict[str, tuple[str, ...]]) -> list[Need]:
    living = answers.get("living_situation", ())
    needs = []
    if "no-steady-place" in living:
        needs.append(Need("homelessness", "no steady place to live", "urgent"))
    elif "worried" in living:
        needs.append(Need("housing-instability", "worried about losing housing"))
    problems = [p for p in answers.get("housing_problems", ()) if p != "none"]
    if problems:
        needs.append(Need("inadequate-housing", ", ".join(problems)))
    return needs


def _food(answers: dict[str, tuple[str, ...]]) -> list[Need]:
    given = answers.get("food_worry", ()) + answers.get("food_ran_out", ())
    return [Need("food-insecurity")] if {"often", "sometimes"} & set(given) else []


def _simple(
    answers: dict[str, tuple[str, ...]], qid: str, positive: set[str], domain: str
) -> list[Need]:
    return [Need(domain)] if positive & set(answers.get(qid, ())) else []


def _utilities(answers: dict[str, tuple[str, ...]]) -> list[Need]:
    given = answers.get("utilities", ())
    if "shut-off" in given:
        return [Need("utility-insecurity", "service already shut off", "urgent")]
    return _simple(answers, "utilities", {"yes"}, "utility-insecurity")


def _safety(answers: dict[str, tuple[str, ...]]) -> list[Need]:
    points = {value: n for n, (value, _) in enumerate(FREQUENCY, start=1)}
    score = sum(points[answers[q][0]] for q in SAFETY if q in answers)
    if score >= SAFETY_THRESHOLD:
        return [Need("intimate-partner-violence", f"safety score {score} of 20", "urgent")]
    return []
