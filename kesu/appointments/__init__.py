"""Appointments (预约): slots per dealer by capacity, bookings without double-booking, confirmation
calls, the daily report and the welcome board (欢迎看板)."""
