"""Proactive care (主动电访): daily due lists from vehicles and customers (maintenance, 年检,
warranty end, insurance, birthdays, anniversaries) and one-off campaigns, worked by call, SMS or letter."""
