from kesu.web.tests.browser import browser  # noqa: F401  (fixture)
