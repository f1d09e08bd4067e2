import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page


@pytest.fixture(autouse=True)
def _browser_tests_are_marked(request):
    request.node.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core on the page as it is now; any violation fails with axe's own report."""

    def check(page: Page) -> None:
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()

    return check
