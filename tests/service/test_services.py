from pathlib import Path

import pytest

from service.runtime import Urls
from service.services import open_services
from service.settings import Settings
from tests.conftest import Database


@pytest.mark.parametrize("redis", ["up", "down"])
async def test_services_open_and_close_with_redis_up_or_down(
    database: Database, redis_url: str, tmp_path: Path, redis: str
) -> None:
    urls = Urls(
        owner=database.owner_url,
        app=database.app_url,
        system=database.system_url,
        redis=redis_url if redis == "up" else f"unix://{tmp_path / 'nobody.sock'}",
    )
    async with open_services(Settings(data_dir=tmp_path), urls) as services:
        assert services.redis is not None  # made without connecting, whether Redis is up or not
        async with services.pool.acquire() as conn:
            assert await conn.fetchval("select current_user") == "jgt_app"
