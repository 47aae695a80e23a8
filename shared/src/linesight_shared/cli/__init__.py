"""The ``linesight`` command-line client: talks to the services' HTTP APIs only."""
