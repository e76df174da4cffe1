"""Vendor Leaflet and its plugins from the npm registry into static/vendor/.

Fetches each package listed in ``ess_geo.maps.assets.PACKAGES`` with ``npm pack``
(a tarball from the npm registry, nothing installed) and copies the listed
files and the package's licence. Run it after changing a version::

    python scripts/vendor_assets.py

The app combines these files into one script and one stylesheet per map at
run time (``ess_geo.maps.bundle``, written under ``static/bundles/`` with a
hash of their content in the name): nothing to rebuild here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ess_geo.maps.assets import PACKAGES
from ess_geo.paths import STATIC_DIR


def main() -> None:
    """Fetch every vendored package and copy its files under static/vendor/."""
    vendor = STATIC_DIR / "vendor"
    with tempfile.TemporaryDirectory() as tmp:
        for package in PACKAGES:
            spec = f"{package.name}@{package.version}"
            result = subprocess.run(
                ["npm", "pack", spec, "--silent"],
                cwd=tmp,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise SystemExit(f"npm pack {spec} failed:\n{result.stderr}")
            tarball = Path(tmp) / result.stdout.strip().splitlines()[-1]
            with tarfile.open(tarball) as archive:
                archive.extractall(Path(tmp) / package.name, filter="data")
            source = Path(tmp) / package.name / "package"
            target = STATIC_DIR / package.folder
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            for file in (*package.files, package.licence):
                package.path(file).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source / file, package.path(file))
            print(f"{spec} -> {target.relative_to(STATIC_DIR.parent)}")
    stale = {p.name for p in vendor.iterdir()} - {Path(p.folder).name for p in PACKAGES}
    for name in stale:
        shutil.rmtree(vendor / name)
        print(f"removed stale {name}")


if __name__ == "__main__":
    main()
