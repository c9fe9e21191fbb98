"""Campaigns and challenges: lifecycle and audiences, live progress and boards, teams."""
