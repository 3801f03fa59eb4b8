"""The seed plans as ready rule sets: JSON files shipped with the package, read by the parser."""

import json
from importlib import resources

from domain.assessment.errors import UnknownTemplateError
from domain.assessment.parse import rule_set
from domain.assessment.rules import RuleSetVersion

# name → file; the names are what `jgt rules load-template NAME` takes.
TEMPLATES: dict[str, str] = {
    "rongan-2022": "rongan_2022.json",  # 融安县 2022-24 教共体 (seed 001)
    "yongli-pairing": "yongli_pairing.json",  # 永利小学 结对共建 (seed 003)
    "qingliang-2014": "qingliang_2014.json",  # 清凉小学 2014 教学共同体 (seed 000)
    "kaiyang-district": "kaiyang_district.json",  # 开阳县 学区教研共同体 (seed 004 篇1, 篇3)
    "yueqing-pingyang": "yueqing_pingyang.json",  # 乐清-平阳 教研共富 (seed 004 篇2)
    "school-partnership": "school_partnership.json",  # 校際交流合作計劃 (seed 002)
}


def template_source(name: str) -> object:
    """The JSON value of template `name`, as a county would edit it."""
    file = TEMPLATES.get(name)
    if file is None:
        raise UnknownTemplateError(name=name, known=", ".join(TEMPLATES))
    text = resources.files(__package__).joinpath(file).read_text(encoding="utf-8")
    return json.loads(text)


def load_template(name: str) -> RuleSetVersion:
    return rule_set(template_source(name))
