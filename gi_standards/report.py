"""What a cooperative declares about a batch, and the report of checking it.

A report is stored with the batch (as JSON) and shown to officials and buyers long after
the standard may have changed, so it carries the standard's slug, version and fingerprint,
and every finding carries its own sentences in both languages.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date

#: Stable rule codes; the web app may key help texts or filters on them.
RULES = (
    "origin.area", "variety.allowed", "type.allowed", "harvest.season", "grade.known",
    "grade.allowed", "grade.meets", "param.required", "param.physical", "param.limit",
    "param.unknown",
)
#: What a finding that did not pass means: "error" makes the report fail; "warning"
#: asks a person to look but does not fail it. Passed findings keep their rule's weight.
SEVERITIES = ("error", "warning")
#: Version of the dict layout written by `Report.to_dict`.
REPORT_FORMAT = 1


def pick_locale(locale: str | None) -> str:
    """Map any locale ("zh", "zh_CN", "zh-Hans-CN", "en_GB", None) to "zh" or "en"."""
    return "zh" if (locale or "").lower().startswith("zh") else "en"


@dataclass(frozen=True)
class Declaration:
    """What a cooperative states about a batch: origin, harvest, variety, grade, lab results.

    `grade` may be the grade's key or its Chinese or English name. `measurements` maps
    parameter keys to numbers, or to text as a web form sends it ("6.5"). `product_type`
    names the standard's product type (清香型 …) where some grades depend on it.
    """

    county_code: str
    harvest_date: date | None = None
    variety: str | None = None
    grade: str | None = None
    measurements: Mapping[str, float | str] = field(default_factory=dict)
    product_type: str | None = None


@dataclass(frozen=True)
class Finding:
    """The verdict of one rule on one field, with expected and actual values as text."""

    rule: str
    field: str
    expected: str
    actual: str
    passed: bool
    severity: str
    message_zh: str
    message_en: str

    def message(self, locale: str | None) -> str:
        return self.message_zh if pick_locale(locale) == "zh" else self.message_en

    @property
    def is_blocking(self) -> bool:
        return not self.passed and self.severity == "error"

    @property
    def needs_attention(self) -> bool:
        return not self.passed and self.severity == "warning"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> Finding:
        return cls(
            rule=str(data["rule"]), field=str(data["field"]),
            expected=str(data["expected"]), actual=str(data["actual"]),
            passed=bool(data["passed"]), severity=str(data["severity"]),
            message_zh=str(data["message_zh"]), message_en=str(data["message_en"]),
        )


@dataclass(frozen=True)
class Report:
    """The outcome of validating one declaration against one version of a standard.

    The report passes when no finding is a failed error. A claimed grade the sample does
    not reach is an error (the claim on the label would be false), even when the base
    standard is met; `best_grade` still says which grade the measurements do support.
    """

    standard_slug: str
    standard_version: int
    standard_fingerprint: str
    findings: tuple[Finding, ...]
    best_grade: str | None = None
    claimed_grade: str | None = None

    @property
    def passed(self) -> bool:
        return not any(finding.is_blocking for finding in self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_blocking)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.needs_attention)

    def findings_for(self, rule: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.rule == rule)

    def to_dict(self) -> dict:
        """A JSON-ready dict; `passed` is included for readers that do not recompute it."""
        return {
            "format": REPORT_FORMAT,
            "standard_slug": self.standard_slug,
            "standard_version": self.standard_version,
            "standard_fingerprint": self.standard_fingerprint,
            "passed": self.passed,
            "best_grade": self.best_grade,
            "claimed_grade": self.claimed_grade,
            "findings": [finding.to_dict() for finding in self.findings],
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Report:
        """Rebuild a stored report; `passed` is recomputed from the findings, not trusted."""
        if data.get("format", REPORT_FORMAT) != REPORT_FORMAT:
            raise ValueError(f"unknown report format {data.get('format')!r}")
        return cls(
            standard_slug=str(data["standard_slug"]),
            standard_version=int(data["standard_version"]),
            standard_fingerprint=str(data.get("standard_fingerprint", "")),
            findings=tuple(Finding.from_dict(item) for item in data["findings"]),
            best_grade=data.get("best_grade"),
            claimed_grade=data.get("claimed_grade"),
        )
