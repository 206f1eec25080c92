"""Apertura: crawler y auditor de transparencia municipal del Estado de México."""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/apertura-edomex/apertura"
CONTACT = "apertura@proton.me"
