"""What people read: reports (terminal, JSON, HTML templates), tabular exports, the state overview with its maps
and charts, and reviewer verdicts joined to findings at report time."""
