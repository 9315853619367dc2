"""Printed documents: the 客户抱怨登记表 and the written answer (书面答复) as PDF, and the letters sent."""
