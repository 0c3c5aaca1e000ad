#!/usr/bin/env python3
"""Download MNIST and Fashion-MNIST, verify their published SHA-256 checksums, unpack them.

    python3 datasets/scripts/download_mnist.py --dest ~/data             # both data sets
    python3 datasets/scripts/download_mnist.py --dest ~/data --dataset fashion

Writes DEST/mnist/ and DEST/fashion-mnist/, each with the four uncompressed IDX files
(train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
t10k-labels-idx1-ubyte) that gradlab::datasets::load_mnist() reads. Each archive is
downloaded to a temporary file, its SHA-256 compared with the published one, and only
then unpacked (again through a temporary file renamed into place): a failed or corrupt
download never leaves a file that looks complete. Files already present and verified
are not downloaded again.

Only the Python standard library is used. gradlab's tests and CI never download
anything; they run this script on small local files (--base-url file://…, --checksums).
"""
import argparse
import gzip
import hashlib
import os
import shutil
import sys
import tempfile
import urllib.request

FILES = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]

# Published SHA-256 sums of the .gz archives (MNIST: the files LeCun, Cortes and Burges
# distribute, mirrored by PyTorch and TensorFlow; Fashion-MNIST: Zalando Research's).
DATASETS = {
    "mnist": {
        "folder": "mnist",
        "urls": ["https://ossci-datasets.s3.amazonaws.com/mnist/",
                 "https://storage.googleapis.com/cvdf-datasets/mnist/"],
        "sha256": {
            "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        },
    },
    "fashion": {
        "folder": "fashion-mnist",
        "urls": ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
        "sha256": {
            "train-images-idx3-ubyte.gz": "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc",
            "train-labels-idx1-ubyte.gz": "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc",
            "t10k-images-idx3-ubyte.gz": "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229",
            "t10k-labels-idx1-ubyte.gz": "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf",
        },
    },
}


class DownloadError(Exception):
    pass


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_checksums(path):
    """A sha256sum-style file: '<hex>  <file name>' per line (overrides the published sums)."""
    sums = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split()
            if len(parts) != 2 or len(parts[0]) != 64:
                raise DownloadError(f"{path}:{number}: expected '<sha256>  <file>', got {line.strip()!r}")
            sums[parts[1].lstrip("*")] = parts[0].lower()
    return sums


def fetch(urls, name, folder, expected):
    """Downloads `name` into `folder` (through a temporary file) and verifies it."""
    target = os.path.join(folder, name)
    if os.path.exists(target) and sha256_of(target) == expected:
        return target
    problems = []
    for base in urls:
        url = base + name
        fd, temporary = tempfile.mkstemp(prefix=name + ".", suffix=".part", dir=folder)
        try:
            with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=60) as response:
                shutil.copyfileobj(response, out)
            actual = sha256_of(temporary)
            if actual != expected:
                problems.append(f"{url}: checksum mismatch: SHA-256 {actual}, expected {expected}")
                continue
            os.replace(temporary, target)
            return target
        except OSError as e:  # urllib's URLError is an OSError
            problems.append(f"{url}: {e}")
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)
    raise DownloadError(f"{name}: no mirror gave a verified file:\n  " + "\n  ".join(problems))


def unpack(archive, folder):
    """Uncompresses archive.gz into folder/archive (through a temporary file)."""
    target = os.path.join(folder, os.path.basename(archive)[:-3])
    fd, temporary = tempfile.mkstemp(prefix=os.path.basename(target) + ".", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out, gzip.open(archive, "rb") as compressed:
            shutil.copyfileobj(compressed, out)
        os.replace(temporary, target)
    except (OSError, EOFError) as e:
        raise DownloadError(f"{archive}: cannot unpack: {e}") from e
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return target


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dest", required=True, help="folder to write mnist/ and fashion-mnist/ into")
    parser.add_argument("--dataset", choices=["mnist", "fashion", "all"], default="all")
    parser.add_argument("--base-url", help="download from this URL instead of the mirrors (e.g. file:///path/, ending in /)")
    parser.add_argument("--checksums", help="a sha256sum-style file of expected sums replacing the published ones (for tests)")
    parser.add_argument("--keep-archives", action="store_true", help="keep the .gz files after unpacking")
    args = parser.parse_args(argv)
    try:
        override = read_checksums(args.checksums) if args.checksums else None
        for key in (["mnist", "fashion"] if args.dataset == "all" else [args.dataset]):
            spec = DATASETS[key]
            folder = os.path.join(args.dest, spec["folder"])
            os.makedirs(folder, exist_ok=True)
            urls = [args.base_url] if args.base_url else spec["urls"]
            for name in FILES:
                expected = (override or spec["sha256"]).get(name)
                if expected is None:
                    raise DownloadError(f"no checksum for {name} in {args.checksums}")
                archive = fetch(urls, name, folder, expected)
                unpacked = unpack(archive, folder)
                if not args.keep_archives:
                    os.remove(archive)
                print(f"{unpacked}: verified and unpacked")
    except DownloadError as e:
        print(f"download_mnist: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
