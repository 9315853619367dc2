"""Business rules of resolutions, one module per part (plain typed functions with keyword-only
arguments and an explicit ``actor``):

- ``routing``: each dealer's routing rules (category and fault area → department), applied at intake
- ``sheets``: contact sheets (联络单) to departments, their answers, rework, the GM's decision
- ``accountability``: responsibility found, penalty notices (奖罚通知单), the monthly list
- ``options``, ``agreements``: countermeasure options, the customer's answer, the 处理协议
"""
