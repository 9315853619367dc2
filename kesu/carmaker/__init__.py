"""The carmaker's part: instructions to a dealer on an escalated complaint, help between dealers
(a part in stock, a technician), and PR on a crisis: take-over, media log, guarded statements and
the same-day incident report (重大事故报告)."""
