"""The package's version: written by bin/set-version from the root pom.xml's <version> (do not edit by hand)."""
__version__ = "0.9.0"
