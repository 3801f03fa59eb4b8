"""A community's set-up: agreement, leading group, base schools, studios, phases, partners."""

from dataclasses import replace
from datetime import date
from uuid import UUID

from domain.codes import GroupRole, PhaseKind
from domain.community.community import Community
from domain.community.errors import (
    CommunityDissolvedError,
    GroupMemberError,
    LeadingGroupLeaderError,
    NotMemberError,
    OutsideCommunityPeriodError,
    PhaseOrderError,
    StudioMembersError,
)
from domain.community.setup import Agreement, ExternalSchool, GroupMember, Phase, Studio
from domain.errors import InvalidValueError
from tests.domain.support import CLERK, SHA_A, community, raises, rebuilt, school

T1, T2, T3 = UUID(int=101), UUID(int=102), UUID(int=103)
AGREEMENT = Agreement(
    rights=" 共享优质资源 ",
    duties="派出骨干教师",
    mode="共建型：师资互派、集体备课",
    targets="三年内成员校质量达县平均",
    evaluation="捆绑考核",
    signed_on=date(2022, 8, 25),
    document_name="合作协议.pdf",
    document_sha256=SHA_A,
)


def made() -> tuple[Community, UUID, UUID, UUID]:
    lead, town, village = school("CG-01"), school("XZ-02"), school("CZ-03")
    return community(lead, (town, village)), lead.id, town.id, village.id


def test_each_part_of_the_set_up_is_recorded_and_replayed() -> None:
    group, lead, town, _ = made()
    group.sign_agreement(AGREEMENT, by=CLERK)
    members = [
        GroupMember(GroupRole.LEADER, None, "局长甲", "教育局局长"),
        GroupMember(GroupRole.DEPUTY, T1, "", "牵头学校校长"),
        GroupMember(GroupRole.MEMBER, T2, "", " 成员校校长 "),
    ]
    group.appoint_leading_group(members, date(2022, 9, 1), by=CLERK)
    group.designate_base_schools([lead, town], date(2022, 9, 1), by=CLERK)
    studio = Studio(UUID(int=9), "数学名师工作室", T1, (T2, T3), date(2022, 10, 1))
    group.open_studio(studio, by=CLERK)
    phases = [
        Phase(PhaseKind.LAUNCH, date(2022, 9, 1), date(2022, 12, 31)),
        Phase(PhaseKind.IMPLEMENTATION, date(2023, 1, 1), date(2024, 6, 30)),
        Phase(PhaseKind.LONG_TERM, date(2024, 7, 1), date(2024, 8, 31)),
    ]
    group.plan_phases(phases, by=CLERK)
    partner = ExternalSchool("平阳县实验小学", "平阳县", date(2022, 9, 1), "跨县结对")
    group.pair_external_school(partner, by=CLERK)

    again = rebuilt(Community, group.collect_events())
    assert again.signed == replace(AGREEMENT, rights="共享优质资源")
    assert [m.post for m in again.leading_group] == ["教育局局长", "牵头学校校长", "成员校校长"]
    assert again.base_school_ids == (lead, town)
    assert again.studios == (studio,)
    assert again.phases == tuple(phases)
    assert again.external_schools == (partner,)


def test_a_leading_group_has_one_leader_and_names_no_teacher() -> None:
    group, *_ = made()
    day = date(2022, 9, 1)
    deputy = GroupMember(GroupRole.DEPUTY, T1, "", "")
    with raises(LeadingGroupLeaderError, leaders=0):
        group.appoint_leading_group([deputy], day, by=CLERK)
    two = [GroupMember(GroupRole.LEADER, T1, "", ""), GroupMember(GroupRole.LEADER, T2, "", "")]
    with raises(LeadingGroupLeaderError, leaders=2):
        group.appoint_leading_group(two, day, by=CLERK)
    # A teacher by id only: their name would stay in the ledger after an erasure.
    named_teacher = GroupMember(GroupRole.LEADER, T1, "王老师", "")
    with raises(GroupMemberError):
        group.appoint_leading_group([named_teacher], day, by=CLERK)
    with raises(GroupMemberError):
        group.appoint_leading_group([GroupMember(GroupRole.LEADER, None, " ", "")], day, by=CLERK)
    twice = [GroupMember(GroupRole.LEADER, T1, "", ""), deputy]
    with raises(GroupMemberError):
        group.appoint_leading_group(twice, day, by=CLERK)


def test_base_schools_are_the_lead_or_members_and_studios_list_each_person_once() -> None:
    group, lead, _, village = made()
    outsider = school("WX-09").id
    with raises(NotMemberError):
        group.designate_base_schools([outsider], date(2022, 9, 1), by=CLERK)
    with raises(OutsideCommunityPeriodError):
        group.designate_base_schools([lead], date(2025, 1, 1), by=CLERK)
    with raises(StudioMembersError):
        group.open_studio(Studio(UUID(int=9), "工作室", T1, (T1, T2), date(2022, 10, 1)), by=CLERK)
    with raises(StudioMembersError):
        group.open_studio(Studio(UUID(int=9), "工作室", T1, (T2, T2), date(2022, 10, 1)), by=CLERK)
    group.designate_base_schools([village], date(2023, 1, 1), by=CLERK)
    assert group.base_school_ids == (village,)


def test_phases_come_in_order_without_overlap_within_the_period() -> None:
    group, *_ = made()
    launch = Phase(PhaseKind.LAUNCH, date(2022, 9, 1), date(2022, 12, 31))
    for wrong in (
        [Phase(PhaseKind.IMPLEMENTATION, date(2022, 9, 1), date(2022, 12, 31)), launch],
        [launch, Phase(PhaseKind.IMPLEMENTATION, date(2022, 12, 31), date(2023, 6, 30))],
        [Phase(PhaseKind.LAUNCH, date(2022, 8, 1), date(2022, 12, 31))],
        [Phase(PhaseKind.LONG_TERM, date(2024, 7, 1), date(2024, 9, 30))],
        [Phase(PhaseKind.LAUNCH, date(2022, 12, 31), date(2022, 9, 1))],
        [launch, launch],
    ):
        with raises(PhaseOrderError):
            group.plan_phases(wrong, by=CLERK)
    group.plan_phases([launch], by=CLERK)
    assert group.phases == (launch,)


def test_the_agreement_and_partners_are_checked_and_a_dissolved_community_takes_none() -> None:
    group, *_ = made()
    with raises(InvalidValueError, field="targets", reason="blank"):
        group.sign_agreement(replace(AGREEMENT, targets=" "), by=CLERK)
    with raises(InvalidValueError, field="document_sha256"):
        group.sign_agreement(replace(AGREEMENT, document_sha256="x"), by=CLERK)
    with raises(InvalidValueError, field="county", reason="blank"):
        group.pair_external_school(ExternalSchool("实验小学", "", date(2022, 9, 1), ""), by=CLERK)
    group.dissolve(date(2023, 9, 1), "合并", by=CLERK)
    with raises(CommunityDissolvedError):
        group.sign_agreement(AGREEMENT, by=CLERK)
    with raises(CommunityDissolvedError):
        group.plan_phases([], by=CLERK)
