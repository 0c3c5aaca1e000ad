#!/usr/bin/env python3
"""ctest datasets.download_mnist_local: the download script on small local files, no network.

Makes four tiny IDX archives, serves them through a file:// URL with a checksum file,
and checks that the script verifies and unpacks them; then that a corrupt archive is
rejected with a checksum error and leaves no unpacked file behind.
"""
import gzip
import hashlib
import os
import subprocess
import sys
import tempfile

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "download_mnist.py")
FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]


def run(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)


def main():
    with tempfile.TemporaryDirectory() as root:
        source = os.path.join(root, "mirror")
        os.makedirs(source)
        raw = {}
        for i, name in enumerate(FILES):
            # A 2-image (or 2-label) IDX file: a real header, a few bytes of data.
            raw[name] = (bytes([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2]) + bytes(range(8)) if "images" in name
                         else bytes([0, 0, 8, 1, 0, 0, 0, 2, i, i + 1]))
            with open(os.path.join(source, name + ".gz"), "wb") as f:
                f.write(gzip.compress(raw[name], mtime=0))
        sums = os.path.join(root, "sums.txt")
        with open(sums, "w") as f:
            for name in FILES:
                with open(os.path.join(source, name + ".gz"), "rb") as g:
                    f.write(f"{hashlib.sha256(g.read()).hexdigest()}  {name}.gz\n")
        url = "file://" + source + "/"

        dest = os.path.join(root, "data")
        r = run("--dest", dest, "--dataset", "mnist", "--base-url", url, "--checksums", sums)
        assert r.returncode == 0, f"the script failed on good files:\n{r.stdout}\n{r.stderr}"
        for name in FILES:
            with open(os.path.join(dest, "mnist", name), "rb") as f:
                assert f.read() == raw[name], f"{name} was not unpacked to its original bytes"
            assert not os.path.exists(os.path.join(dest, "mnist", name + ".gz")), "the archive should be removed"
        leftovers = [n for n in os.listdir(os.path.join(dest, "mnist")) if n.endswith(".part")]
        assert not leftovers, f"temporary files left behind: {leftovers}"

        # A corrupt archive: one byte changed. The checksum must reject it.
        path = os.path.join(source, FILES[1] + ".gz")
        with open(path, "rb") as f:
            data = bytearray(f.read())
        data[-1] ^= 0xFF
        with open(path, "wb") as f:
            f.write(data)
        bad = os.path.join(root, "bad")
        r = run("--dest", bad, "--dataset", "fashion", "--base-url", url, "--checksums", sums)
        assert r.returncode == 1, f"a corrupt archive was accepted:\n{r.stdout}\n{r.stderr}"
        assert "checksum mismatch" in r.stderr and FILES[1] in r.stderr, f"unclear error: {r.stderr}"
        folder = os.path.join(bad, "fashion-mnist")
        assert not os.path.exists(os.path.join(folder, FILES[1])), "a corrupt archive was unpacked"
        assert not [n for n in os.listdir(folder) if n.endswith(".part") or n == FILES[1] + ".gz"], \
            f"the corrupt download was left behind: {os.listdir(folder)}"

        # A checksum file that is not one: a clear error.
        with open(sums, "w") as f:
            f.write("not a checksum line\n")
        r = run("--dest", bad, "--base-url", url, "--checksums", sums)
        assert r.returncode == 1 and "sums.txt:1" in r.stderr, r.stderr
    print("download_mnist.py: verified, unpacked, corrupt archive rejected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
