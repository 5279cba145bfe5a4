"""CSV imports of coaches and cases: every row checked before anything is written."""
