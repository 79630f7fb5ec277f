"""`/favicon.ico` is an icon, cached by browsers, never a 404."""

from __future__ import annotations

from tests.fault_support import serving


async def test_favicon_is_an_icon_cached_by_browsers(sqlite_url: str) -> None:
    async with serving(sqlite_url) as client:
        icon = await client.get("/favicon.ico")
        again = await client.get("/favicon.ico", headers={"if-none-match": icon.headers["etag"]})
    assert icon.status_code == 200
    assert icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # the ICO header
    assert "max-age" in icon.headers["cache-control"]
    assert again.status_code == 304
