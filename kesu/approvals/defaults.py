"""The installation's default authority limits (核决权限), in code: they hold wherever neither the
organisation, its ancestors nor an administrator's installation-wide rows say otherwise. Kept
here only, not also seeded as rows: one source for the figures."""

from decimal import Decimal

DEFAULTS = {
    # seed 003's storm wiper: the agent's quick fix, a meal, a small gift — no money promised
    "agent": (Decimal("500.00"), ["free_repair", "apology", "gift"]),
    "department_staff": (Decimal("0.00"), []),
    # no return and no exchange: those go up
    "service_manager": (
        Decimal("2000.00"),
        [
            "discount",
            "free_repair",
            "compensation",
            "apology",
            "gift",
            "towing",
            "transport",
            "loaner",
            "other",
        ],
    ),
    "general_manager": (
        Decimal("20000.00"),
        [
            "exchange",
            "discount",
            "free_repair",
            "compensation",
            "apology",
            "gift",
            "towing",
            "transport",
            "loaner",
            "other",
        ],
    ),
    # the carmaker's region decides a return and anything above the general manager
    "region_manager": (
        Decimal("1000000.00"),
        [
            "return",
            "exchange",
            "discount",
            "free_repair",
            "compensation",
            "apology",
            "gift",
            "towing",
            "transport",
            "loaner",
            "other",
        ],
    ),
}
