"""Changing the policy in the browser: the leader drafts 3 at-bats -> 4, simulates it on the
school's evidence, sees who changes, publishes; "How grading works" follows."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import sign_in


def test_a_leader_changes_the_number_of_at_bats_and_families_read_the_new_rule(
    page: Page, demo_url: str
) -> None:
    sign_in(page, demo_url, "leader")
    page.get_by_role("link", name="Grading policy").click()
    page.get_by_role("button", name="Draft a new version from this one").first.click()

    page.get_by_label("At-bats needed (consistent)", exact=True).fill("4")
    page.get_by_label("What changes and why").fill("Four at-bats before we call it mastery")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("at least 4 of your 5 most recent").first).to_be_visible()

    page.get_by_role("button", name="Simulate on our evidence").click()
    expect(page.get_by_role("heading", name="Who changes")).to_be_visible(timeout=60000)
    mastery_changes = page.get_by_role("definition").nth(1).inner_text()
    assert int(mastery_changes) > 0
    expect(page.get_by_role("table", name="Every change, student by student")).to_contain_text(
        re.compile(r"Meeting|Exceeding")
    )

    page.get_by_role("link", name=re.compile(r"^Version \d+$")).click()
    page.get_by_role("button", name=re.compile(r"^Publish version")).click()
    expect(page.get_by_role("status").filter(has_text="is published")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, demo_url, "guardian")
    page.get_by_role("link", name="How grading works").click()
    expect(page.get_by_text("at least 4 of your 5 most recent").first).to_be_visible()
