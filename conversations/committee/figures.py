"""Collecting a committee's figures for a period: the storage queries combined into
``rules.ClusterFigures``, and the survey scores through the survey's own results rules."""

from __future__ import annotations

from datetime import datetime, timedelta

import aiosqlite

from conversations.committee.rules import ClusterFigures
from conversations.survey import results
from storage import committee_figures as queries

UPCOMING_DAYS = 7


def base_labels(definitions: dict, lang: str) -> dict[str, str]:
    """The short label of every scored base of the questionnaires, in ``lang``."""
    return {question.name: question.short(lang) for form in definitions.values() for question in results.bases_of(form)}


Scores = tuple[tuple[float, ...], tuple[tuple[str, float | None], ...], tuple[int, ...]]


async def survey_scores(
    conn: aiosqlite.Connection, definitions: dict, committee_id: int, last: int | None = None
) -> dict[int, Scores]:
    """``cluster -> (overall score of each round with answers, oldest first; the latest round's
    median per base; how many answered each of those rounds)``, over the latest ``last`` rounds."""
    found: dict[int, Scores] = {}
    for survey_round in await queries.survey_round_counts(conn, committee_id, last):
        scores, _latest, answered = found.setdefault(survey_round.cluster_id, ((), (), ()))
        form = definitions.get((survey_round.form_id, survey_round.form_version))
        if form is None:
            continue
        summary = results.summarise_counts(form, survey_round.respondents, survey_round.counts)
        if summary.overall is not None:
            found[survey_round.cluster_id] = (
                (*scores, summary.overall),
                tuple((base.name, base.median) for base in summary.bases),
                (*answered, summary.respondents),
            )
    return found


async def collect(
    conn: aiosqlite.Connection,
    definitions: dict,
    committee_id: int,
    since: datetime,
    until: datetime,
    now: datetime,
    *,
    survey_rounds: int | None = 2,
) -> list[ClusterFigures]:
    """Every cluster of the committee with its figures for ``[since, until)``; upcoming meetings are
    those of the week after ``now``; overdue reports and non-submitters are as of ``now``."""
    rows = await queries.clusters(conn, committee_id)
    members = await queries.members(conn, committee_id, since, until)
    held = await queries.meetings(conn, committee_id, since, until)
    coming = await queries.upcoming(conn, committee_id, now, now + timedelta(days=UPCOMING_DAYS))
    statuses = await queries.activity_statuses(conn, committee_id)
    overdue = await queries.overdue_reports(conn, committee_id, now)
    reports = await queries.reports_in(conn, committee_id, since, until)
    missing = await queries.survey_non_submitters(conn, committee_id, now)
    scores = await survey_scores(conn, definitions, committee_id, survey_rounds)
    figures = []
    for row in rows:
        total, new = members.get(row.id, (0, 0))
        meetings = held.get(row.id, queries.Meetings(0, 0, 0))
        figures.append(
            ClusterFigures(
                row.id,
                row.name,
                total,
                new,
                meetings.held,
                meetings.invited,
                meetings.attended,
                tuple(coming.get(row.id, ())),
                scores.get(row.id, ((), (), ()))[0],
                statuses.get(row.id, {}),
                overdue.get(row.id, 0),
                reports.get(row.id, 0),
                tuple(missing.get(row.id, ())),
                scores.get(row.id, ((), (), ()))[1],
                scores.get(row.id, ((), (), ()))[2],
            )
        )
    return figures
