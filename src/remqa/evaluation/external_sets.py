"""The external eval sets remqa is measured on but never tuned on, in one table.

One eval path serves them all; a set differs only by its data, its folder (gates, work files,
per-article selector weights) and how it is split into a read and an aggregate part.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from remqa.errors import RemqaError
from remqa.evaluation.split import Part, by_question, by_title
from remqa.evaluation.squad import DEFAULT_SET, SquadArticle, SquadQuestion


@dataclass(frozen=True)
class ExternalSet:
    name: str  # the --set name and the report files' stem
    title: str  # for report headings
    data: Path  # SQuAD-format JSON
    folder: Path
    split: Literal["title", "question"]  # see remqa.evaluation.split
    about: str  # one sentence for the report: what the set is
    work_name: str = "work"  # another SQuAD-format file is built beside, never into, SQuAD's

    @property
    def gates(self) -> Path:
        return self.folder / "gates.yaml"

    @property
    def work(self) -> Path:
        """Corpus and index built from the set (not committed)."""
        return self.folder / self.work_name

    @property
    def weights(self) -> Path:
        """Selector weights trained without each article, where they have been built; an
        article without its own file is answered with the shipped weights."""
        return self.folder / "selector"

    def part_rule(
        self, articles: Sequence[SquadArticle]
    ) -> Callable[[SquadArticle, SquadQuestion], Part]:
        """Which part each question is in, by the set's split rule."""
        if self.split == "title":
            parts = by_title(a.title for a in articles)
            return lambda article, question: parts[article.title]
        return lambda article, question: by_question(question.id)


SETS = {
    "squad": ExternalSet(
        "squad",
        "SQuAD",
        DEFAULT_SET,
        Path("eval/squad"),
        "question",
        "Wikipedia articles with crowd-written questions; each article's questions are "
        "answered by a selector trained without that article.",
    ),
    "covidqa": ExternalSet(
        "covidqa",
        "COVID-QA",
        Path("eval/covidqa/covidqa-dev-30papers.json"),
        Path("eval/covidqa"),
        "title",
        "Scientific papers with expert questions and long answers; a paper of the read half "
        "(trained on, in three groups) is answered by weights trained without its group, one "
        "of the aggregate half (never trained on) by the shipped weights.",
    ),
}


def external_set(value: str) -> ExternalSet | None:
    """The external set `--set VALUE` names: a set's name, or any SQuAD-format .json file
    (measured as SQuAD is); None for a bundled-format eval file (.yaml). A bare word that is
    neither a set nor a file is a mistyped set name."""
    if value in SETS:
        return SETS[value]
    path = Path(value)
    if path.suffix.lower() == ".json":
        # its own corpus and index: its articles must not join the SQuAD set's corpus
        return replace(SETS["squad"], data=path, work_name=f"work-{path.stem}")
    if path.suffix or path.exists():
        return None
    raise RemqaError(
        f"Unknown eval set '{value}'. Use --set {' or --set '.join([*SETS, 'tables'])}, an "
        "eval file (.yaml, like eval/questions.yaml) or a SQuAD-format .json file."
    )
