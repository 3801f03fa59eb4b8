"""Examples of research, quality tests, money and commendations."""

from __future__ import annotations

from datetime import date

from domain.codes import (
    CommendationKind,
    MoneyKind,
    PaperOutcome,
    ProjectStage,
    ResearchLevel,
    SittingKind,
    Subject,
)
from service.commands.commendation.commendations import AwardCommendation, RevokeCommendation
from service.commands.money.entries import RecordEntry, ReverseEntry
from service.commands.quality.sittings import (
    HoldSitting,
    RecordAnalysis,
    RecordResults,
    ResultIn,
)
from service.commands.research.papers import RecordPaper, VoidPaper
from service.commands.research.projects import (
    AbandonProject,
    ApplyProject,
    ApproveProject,
    ConcludeProject,
)
from service.reference.ids import (
    COMMENDATION,
    COMMUNITY,
    ENTRY,
    LEAD,
    MEMBER,
    PAPER,
    PROJECT,
    SITTING,
    TEACHER,
)
from service.views.commendation.commendation import (
    CommendationPage,
    CommendationSummary,
    CommendationView,
)
from service.views.community.activity import SubjectView
from service.views.labels import text
from service.views.money.entry import EntryPage, EntrySummary, EntryView, TotalPage, TotalView
from service.views.quality.results import Figures, QualityPage, QualityResult
from service.views.quality.sitting import (
    AnalysisView,
    ResultView,
    SittingPage,
    SittingSummary,
    SittingView,
)
from service.views.research.paper import PaperPage, PaperSummary, PaperView
from service.views.research.project import ProjectPage, ProjectSummary, ProjectView

TITLE = "农村小学整本书阅读的实践研究"
DOCUMENT = "云教〔2024〕58 号"  # noqa: RUF001 - a 文号 has these brackets
MATH = SubjectView(code=Subject.MATH.value, label=text(Subject.MATH, "zh"))
CHINESE = SubjectView(code=Subject.CHINESE.value, label=text(Subject.CHINESE, "zh"))

PROJECT_SUMMARY = ProjectSummary(
    id=PROJECT,
    title=TITLE,
    owner_school_ids=[LEAD, MEMBER],
    is_joint=True,
    community_id=COMMUNITY,
    participant_ids=[TEACHER],
    subjects=[CHINESE],
    stage=ProjectStage.APPROVED.value,
    stage_label=text(ProjectStage.APPROVED, "zh"),
    applied_level=ResearchLevel.COUNTY.value,
    applied_level_label=text(ResearchLevel.COUNTY, "zh"),
    level=ResearchLevel.COUNTY.value,
    level_label=text(ResearchLevel.COUNTY, "zh"),
    applied_on=date(2023, 9, 20),
    approved_on=date(2023, 11, 2),
    concluded_on=None,
    abandoned_on=None,
    school_year="2023-2024",
    version=2,
)
PAPER_SUMMARY = PaperSummary(
    id=PAPER,
    title="整本书阅读在乡村课堂中的组织策略",
    school_id=MEMBER,
    community_id=COMMUNITY,
    project_id=PROJECT,
    author_ids=[TEACHER],
    level=ResearchLevel.CITY.value,
    level_label=text(ResearchLevel.CITY, "zh"),
    outcome=PaperOutcome.AWARDED.value,
    outcome_label=text(PaperOutcome.AWARDED, "zh"),
    award_grade="一等奖",
    venue="丽水市教育科学论文评比",
    dated_on=date(2024, 5, 20),
    school_year="2023-2024",
    is_void=False,
    version=1,
)
SITTING_SUMMARY = SittingSummary(
    id=SITTING,
    kind=SittingKind.MIDTERM.value,
    kind_label=text(SittingKind.MIDTERM, "zh"),
    title="2024 年春季四年级期中质量联合检测",
    held_on=date(2024, 4, 18),
    semester="2024-spring",
    school_year="2023-2024",
    grades=[4],
    subjects=[CHINESE, MATH],
    school_ids=[LEAD, MEMBER],
    community_id=COMMUNITY,
    reported_school_ids=[LEAD, MEMBER],
    analyses=1,
    version=3,
)
ENTRY_SUMMARY = EntrySummary(
    id=ENTRY,
    kind=MoneyKind.FUNDING.value,
    kind_label=text(MoneyKind.FUNDING, "zh"),
    amount_fen=1_000_000,
    amount_yuan="10000.00",
    school_id=LEAD,
    community_id=COMMUNITY,
    teacher_id=None,
    month=None,
    year=2024,
    paid_on=date(2024, 3, 1),
    is_reversed=False,
    version=1,
)
COMMENDATION_SUMMARY = CommendationSummary(
    id=COMMENDATION,
    kind=CommendationKind.COMMUNITY.value,
    kind_label=text(CommendationKind.COMMUNITY, "zh"),
    year=2024,
    title="2024 年度优秀教共体",
    teacher_id=None,
    school_id=None,
    community_id=COMMUNITY,
    awarded_on=date(2024, 12, 20),
    is_revoked=False,
    version=1,
)

EXAMPLES = (
    ApplyProject(
        title=TITLE,
        owner_school_ids=[LEAD, MEMBER],
        community_id=COMMUNITY,
        participant_ids=[TEACHER],
        subjects=[Subject.CHINESE],
        level=ResearchLevel.COUNTY,
        applied_on=date(2023, 9, 20),
    ),
    ApproveProject(
        level=ResearchLevel.COUNTY, approved_on=date(2023, 11, 2), reference="SJ-2023-17"
    ),
    ConcludeProject(concluded_on=date(2025, 6, 30), note="结题报告已提交县教研室"),
    AbandonProject(reason="主持人调离，课题无法继续", abandoned_on=date(2024, 9, 1)),
    ProjectView(
        **{field: getattr(PROJECT_SUMMARY, field) for field in PROJECT_SUMMARY.__struct_fields__},
        reference="SJ-2023-17",
        note="",
        conclusion="",
        abandon_reason=None,
    ),
    ProjectPage(items=[PROJECT_SUMMARY], next_cursor=None),
    RecordPaper(
        title=PAPER_SUMMARY.title,
        school_id=MEMBER,
        community_id=COMMUNITY,
        project_id=PROJECT,
        author_ids=[TEACHER],
        level=ResearchLevel.CITY,
        outcome=PaperOutcome.AWARDED,
        award_grade="一等奖",
        venue="丽水市教育科学论文评比",
        dated_on=date(2024, 5, 20),
    ),
    VoidPaper(reason="重复登记"),
    PaperView(
        **{field: getattr(PAPER_SUMMARY, field) for field in PAPER_SUMMARY.__struct_fields__},
        void_reason=None,
    ),
    PaperPage(items=[PAPER_SUMMARY], next_cursor=None),
    HoldSitting(
        kind=SittingKind.MIDTERM,
        title=SITTING_SUMMARY.title,
        held_on=date(2024, 4, 18),
        grades=[4],
        subjects=[Subject.CHINESE, Subject.MATH],
        school_ids=[LEAD, MEMBER],
        community_id=COMMUNITY,
    ),
    RecordResults(
        results=[
            ResultIn(
                school_id=MEMBER,
                subject=Subject.MATH,
                grade=4,
                students=38,
                pass_rate=94.74,
                good_rate=63.16,
                mean=82.5,
            )
        ]
    ),
    RecordAnalysis(text="计算题失分集中，下阶段送教以运算能力为重点。", school_id=MEMBER),
    SittingView(
        **{field: getattr(SITTING_SUMMARY, field) for field in SITTING_SUMMARY.__struct_fields__},
        results=[
            ResultView(
                school_id=MEMBER,
                subject=MATH,
                grade=4,
                students=38,
                pass_rate=94.74,
                good_rate=63.16,
                mean=82.5,
                full_marks=100,
            )
        ],
        analysis_texts=[
            AnalysisView(school_id=MEMBER, text="计算题失分集中，下阶段送教以运算能力为重点。")
        ],
    ),
    SittingPage(items=[SITTING_SUMMARY], next_cursor=None),
    QualityPage(
        items=[
            QualityResult(
                school_id=MEMBER,
                subject=MATH,
                grade=4,
                school_year="2023-2024",
                term="spring",
                semester="2024-spring",
                sitting_id=SITTING,
                sitting_kind=SittingKind.MIDTERM.value,
                sitting_kind_label=text(SittingKind.MIDTERM, "zh"),
                held_on=date(2024, 4, 18),
                students=38,
                pass_rate=94.74,
                good_rate=63.16,
                mean=82.5,
                full_marks=100,
                year_before=Figures(
                    school_year="2022-2023",
                    students=41,
                    pass_rate=87.8,
                    good_rate=51.22,
                    mean=76.4,
                    full_marks=100,
                ),
                pass_rate_change=6.94,
                good_rate_change=11.94,
                mean_change=6.1,
            )
        ],
        next_cursor=None,
    ),
    RecordEntry(
        kind=MoneyKind.FUNDING,
        amount_fen=1_000_000,
        school_id=LEAD,
        community_id=COMMUNITY,
        year=2024,
        paid_on=date(2024, 3, 1),
        note="教共体首年工作经费",
    ),
    ReverseEntry(reason="金额录入有误"),
    EntryView(
        **{field: getattr(ENTRY_SUMMARY, field) for field in ENTRY_SUMMARY.__struct_fields__},
        note="教共体首年工作经费",
        reverse_reason=None,
    ),
    EntryPage(items=[ENTRY_SUMMARY], next_cursor=None),
    TotalPage(
        by="school",
        items=[
            TotalView(
                id=LEAD,
                year=2024,
                funding_fen=1_000_000,
                subsidy_fen=0,
                total_fen=1_000_000,
                total_yuan="10000.00",
                entries=1,
            )
        ],
        next_cursor=None,
    ),
    AwardCommendation(
        kind=CommendationKind.COMMUNITY,
        year=2024,
        title="2024 年度优秀教共体",
        community_id=COMMUNITY,
        basis="年度考核优秀，送教下乡与质量共测成效显著",
        document=DOCUMENT,
        awarded_on=date(2024, 12, 20),
    ),
    RevokeCommendation(reason="考核材料不实"),
    CommendationView(
        **{
            field: getattr(COMMENDATION_SUMMARY, field)
            for field in COMMENDATION_SUMMARY.__struct_fields__
        },
        basis="年度考核优秀，送教下乡与质量共测成效显著",
        document=DOCUMENT,
        revoke_reason=None,
    ),
    CommendationPage(items=[COMMENDATION_SUMMARY], next_cursor=None),
)
