"""No file of the repository names a package registry's host.

A package's provenance is its name, version and integrity hash; where it is downloaded from is the
package clients' own configuration (a mirror, a proxy, a moved registry). The refused hosts are kept
as SHA-256 digests, so that this test does not write them either.
"""

import hashlib
import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: sha256 of the refused host names: the npm, Yarn and npmmirror registries, PyPI and its file host,
#: the Debian and Ubuntu archives, Anaconda, the Rust crates registry, RubyGems, Maven Central, the Go proxy, Docker
#: Hub, Packagist and CRAN (a subdomain of one of them is refused too)
DENIED = {
    "0dc11026ac75c015aaa1deafff4a7a54ef6d0cf6b3c7f9b1d2c8f3502929aa9e",
    "3ca29e55be4befa48f875d24c27f9bed32fe06588819ed6264084b6670a1ebb0",
    "70bb4000cd2fab03af01fed086c6bf3c2c970f8b8b8001c311028ec3b80e775a",
    "05b16d11407cc4e4a60df3760a38c1f542c1aefbfaa524e42cedf413a119c3f2",
    "a4aa2ac280bb8d1a0ce7a1be5a7bfb10292b49fe9435ad5cff19f421f3c70e41",
    "d6d7019ca9fcbf07c769e445342515ef0c92e4f18a96adbb3bf6460f5b0ba17f",
    "c899567ee906851741bf7f3bde17a33777859ff9f53ff54d6f0ea54cf31ad636",
    "8b5bb5eb9d758455b8635855cf8aaf05b68775e3f83f0291e800ef338fb9783c",
    "e680c440a2e92079ab1bf7a927e8d3920f1bcd173c0487e28e020110b2e59efc",
    "c2b35955576ffa710bfb7c4e5de8141335829cb1333377cbaf7daaeff9647b35",
    "1ba4e37997a2e986efa6cd844e43fd25b9e816359d31612baa9c18b71e3b5294",
    "26b795f2a123f2a2ae16327ac90c1404ee62c7879b706cdf5cc4caf1fca42d3a",
    "a0f007d863a0ed19c5bd996ef6eaab194af2f1ac685c0f71a75270a0366f8983",
    "e514b0d3b0562f54b6622ba95659592c26a4f6473677346ffba9e876eee160ef",
    "15bdb44dafa6843b1e260ba626cb18b8d49581827a759b8102812b61cc522c83",
    "4db460c55b85212e50a70cadcb10c5fc3c32382ed9896a3730423469d2e05619",
    "789e46d79514e28093cabe2bb4a0798266f584b0e508ef269ebabb6e57859290",
    "71741fe2460a615058687c4585f665af5e825968e51a512ffb14c6f2684a397d",
    "317d2d52829b78129d2c9e43d001899f0c8d30968bae00b848a47154df56b0ca",
    "43c04ed1dabe979b9c552549bf0ab023abd3e1cc6d5ff7f42cfa2296b0973a67",
    "00a7dc5a0cc388586b8665846e7d8ae94a6dd096f2aa1aa3b4aab4ac484f998a",
    "dcb6cc3991f9799eecfd71952439eb200a2b09fee01d033df9954a197ef8c574",
    "2c77714df232b07f0e8ff768526d166e1a94e606d989d4608c3f1713a0712ae5",
    "e7fbfb5eb8b891d51d67f690d0ae486f670e82b9ced96c91b5091bc532e812ab",
}
HOST = re.compile(rb"(?<![\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?![\w-])", re.IGNORECASE)


def repository_files() -> list[Path]:
    """The files git knows (committed or not, none it ignores); every file outside .git otherwise."""
    try:
        listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "-co", "--exclude-standard"],
                                capture_output=True, check=True).stdout
        return [ROOT / name for name in listed.decode("utf-8").split("\0") if name]
    except (OSError, subprocess.CalledProcessError):  # an exported tree without git
        return [Path(folder) / name for folder, dirs, names in os.walk(ROOT)
                if not {".git", ".venv", "build"} & set(Path(folder).relative_to(ROOT).parts)
                for name in names]


def registry_hosts(data: bytes) -> list[str]:
    """The host names in `data` that are, or are under, a refused registry host."""
    found = []
    for match in HOST.finditer(data):
        labels = match.group().decode("ascii").lower().split(".")
        suffixes = (".".join(labels[start:]) for start in range(len(labels) - 1))
        if any(hashlib.sha256(suffix.encode()).hexdigest() in DENIED for suffix in suffixes):
            found.append(match.group().decode("ascii"))
    return found


def test_no_file_names_a_package_registry_host():
    named = {}
    for path in repository_files():
        if path.is_file():
            hosts = registry_hosts(path.read_bytes())
            if hosts:
                named[str(path.relative_to(ROOT))] = sorted(set(hosts))
    assert not named, (f"Ces fichiers nomment l'hôte d'un registre de paquets : {named}. Écrivez plutôt le nom, la "
                       "version et l'empreinte du paquet ; la configuration de npm, pip ou apt dit d'où il vient.")


def test_the_check_sees_a_registry_host_and_its_subdomains_only():
    # built from parts at run time: the repository itself never holds the name
    npm = ".".join(["registry", "npmjs", "org"])
    debian = ".".join(["deb", "debian", "org"])
    text = (f"https://{npm}/@etalab/decoupage-administratif/-/x.tgz deb http://{debian}/debian "
            f"https://mirror.{'.'.join(['pypi', 'org'])}/simple").encode()
    assert registry_hosts(text) == [npm, debian, "mirror." + ".".join(["pypi", "org"])]
    # the services the plugin talks to and look-alikes are not registries
    assert registry_hosts(b"https://data.geopf.fr/wfs https://adresse.data.gouv.fr npmjs.org.example "
                          b"debian.org pypi.org.fr") == []
    assert len(repository_files()) > 100
