"""Approvals: authority limits (核决权限) per organisation and role, approval chains, and the payment and
gift tasks approved money creates."""
