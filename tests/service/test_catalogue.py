"""The public catalogue serves every stable code of the domain, labelled in both languages."""

import httpx

from domain.codes import LABELS


async def test_the_catalogue_lists_every_code_of_the_domain_with_its_label(
    client: httpx.AsyncClient,
) -> None:
    zh = (await client.get("/v1/catalogue")).json()
    en = (await client.get("/v1/catalogue", headers={"Accept-Language": "en"})).json()
    assert len(zh) == len(LABELS)  # one list per kind of code, none left out
    expected = {
        (member.value, label.zh, label.en)
        for labels in LABELS.values()
        for member, label in labels.items()
    }
    served = {
        (zh_code["code"], zh_code["label"], en_code["label"])
        for kind in zh
        for zh_code, en_code in zip(zh[kind], en[kind], strict=True)
    }
    assert served == expected
    assert {"code": "met", "label": "达标"} in zh["compliance_statuses"]
    assert {"code": "met", "label": "Met"} in en["compliance_statuses"]
