"""The package's version is the project's: the root pom.xml's <version> (bin/set-version writes both)."""
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import s3dlio

ROOT = Path(__file__).resolve().parents[2]
POM = "{http://maven.apache.org/POM/4.0.0}"


def test_version_is_the_poms():
    pom = ElementTree.parse(ROOT / "pom.xml").getroot().findtext(f"{POM}version")
    assert pom, "the root pom.xml has no <version>"
    # PEP 440 spells Maven's -SNAPSHOT as .dev0.
    assert s3dlio.__version__ == pom.replace("-SNAPSHOT", ".dev0"), (
        f"python/s3dlio/_version.py says {s3dlio.__version__} but pom.xml says {pom}: run bin/set-version {pom}")


def test_pyproject_reads_the_same_file():
    pyproject = (ROOT / "python" / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^dynamic = \["version"\]', pyproject, re.M)
    assert 'version = {attr = "s3dlio._version.__version__"}' in pyproject
