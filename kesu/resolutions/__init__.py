"""Resolutions: routing to departments, contact sheets (联络单), countermeasure options, the customer's
agreement (处理协议), accountability and cross-dealer help."""
