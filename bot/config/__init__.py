"""Configuration: process settings from the environment and the team config (TOML), one module per
section, with errors worded for a team lead or an IT department."""
