"""The feed and the moderators' console in Chromium: a check-in with a photo reaches the feed,
a moderator hides it from the console, and it leaves the feed."""

from __future__ import annotations

import httpx
from playwright.async_api import Browser, expect

from tests.app.screens.browser import DEMO_PASSWORD, account, phone, photo, sign_in, unique
from tests.servers import Server


async def test_a_check_in_with_a_photo_appears_and_a_moderator_hides_it(
    server: Server, browser: Browser, tmp_path
) -> None:
    async with httpx.AsyncClient(base_url=server.base) as http:
        author = await account(http, unique("poster"))
        reader = await account(http, unique("reader"))
    picture = tmp_path / "park.jpg"
    picture.write_bytes(photo())
    text = f"Cycled to the park instead of driving ({unique('ride')})"
    errors: list[str] = []

    context = await phone(browser, errors)
    page = await context.new_page()
    await sign_in(page, f"{server.base}/app", author.username)
    await page.get_by_role("link", name="Feed").click()
    await page.get_by_role("button", name="Check in").click()
    dialog = page.get_by_role("dialog", name="Check in")
    await dialog.get_by_label("Topic").select_option("green_commute")
    await dialog.get_by_label("What did you do?").fill(text)
    await dialog.get_by_label("Photos").set_input_files(picture)
    await expect(dialog.get_by_role("img", name="Selected photo")).to_be_visible()
    await dialog.get_by_role("button", name="Post").click()
    post = page.get_by_role("listitem").filter(has_text=text)
    await expect(post).to_be_visible()
    thumbnail = post.get_by_role("button", name=f"Photo 1 by {author.username}, open larger")
    await expect(thumbnail.locator("img")).to_have_js_property("complete", True)
    assert await thumbnail.locator("img").evaluate("img => img.naturalWidth") > 0

    # Another player sees it and reports it, which puts it in the moderators' queue.
    reader_context = await phone(browser, errors)
    reader_page = await reader_context.new_page()
    await sign_in(reader_page, f"{server.base}/app", reader.username)
    await reader_page.get_by_role("link", name="Feed").click()
    seen = reader_page.get_by_role("listitem").filter(has_text=text)
    await seen.get_by_role("button", name="Report").click()
    report = reader_page.get_by_role("dialog", name="Report this check-in")
    await report.get_by_label("Reason").select_option("spam")
    await report.get_by_role("button", name="Send report").click()
    await expect(reader_page.get_by_text("moderators will look at it")).to_be_visible()

    console_context = await browser.new_context(viewport={"width": 1280, "height": 900})
    console = await console_context.new_page()
    await sign_in(console, f"{server.base}/console", "mo", DEMO_PASSWORD)
    case = console.get_by_role("listitem").filter(has_text=text)
    await expect(case.get_by_role("img", name="Reported photo 1, open full size")).to_be_visible()
    await expect(case).to_contain_text("1 report")
    content = case.get_by_role("group", name="The check-in")
    await content.get_by_label("Hide").check()
    await content.get_by_label("Reason (the player sees it)").fill("Advertising")
    await content.get_by_role("button", name="Hide").click()
    # Reviewed, the case leaves the queue.
    await expect(console.get_by_text("Done: Hide")).to_be_visible()
    await expect(case).to_have_count(0)
    # Its author hears why, live.
    await expect(page.get_by_text("A moderator hid your post: Advertising")).to_be_visible()

    await console.get_by_role("link", name="Audit log").click()
    await expect(console.get_by_role("row").filter(has_text="Advertising")).to_contain_text("Hide")

    # The post is gone from everyone's feed.
    await reader_page.reload()
    await expect(reader_page.get_by_role("heading", name="Community")).to_be_visible()
    await expect(reader_page.get_by_role("listitem").filter(has_text=text)).to_have_count(0)
    assert errors == []
    for c in (context, reader_context, console_context):
        await c.close()
