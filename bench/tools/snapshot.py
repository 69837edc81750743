#!/usr/bin/env python3
"""Lays a committed revision of the repository into a folder for a release build of exactly
that commit, while the working tree goes on changing (a shared tree, half-finished edits).

usage: snapshot.py REPO REVISION DEST

`git archive REVISION` is unpacked beside DEST and synchronised into it by content: files
whose bytes did not change keep their modification time, so an incremental `swift build`
in DEST recompiles only what the new commit changed; files the commit no longer has are
removed. Prints the full commit hash.
"""
import filecmp
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    repo, rev, dest = sys.argv[1:]
    commit = subprocess.run(["git", "-C", repo, "rev-parse", "--verify", rev + "^{commit}"],
                            capture_output=True, text=True, check=True).stdout.strip()
    archive = subprocess.run(["git", "-C", repo, "archive", "--format=tar", commit], capture_output=True, check=True).stdout
    os.makedirs(dest, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(dest))) as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="tar") if hasattr(tarfile, "tar_filter") else tar.extractall(tmp)
        wanted = set()
        for root, dirs, files in os.walk(tmp):
            rel = os.path.relpath(root, tmp)
            os.makedirs(os.path.join(dest, rel), exist_ok=True)
            for name in files:
                src, dst = os.path.join(root, name), os.path.join(dest, rel, name)
                wanted.add(os.path.normpath(os.path.join(rel, name)))
                if os.path.islink(src):
                    if os.path.lexists(dst):
                        os.remove(dst)
                    os.symlink(os.readlink(src), dst)
                elif not (os.path.isfile(dst) and filecmp.cmp(src, dst, shallow=False)):
                    shutil.copy2(src, dst)
                    os.utime(dst)  # changed now: newer than any build product
        for root, dirs, files in os.walk(dest, topdown=True):
            rel = os.path.relpath(root, dest)
            # Build products and SwiftPM state inside DEST are not part of the snapshot.
            dirs[:] = [d for d in dirs if not d.startswith(".build") and d != ".swiftpm"]
            for name in files:
                path = os.path.normpath(os.path.join(rel, name))
                if path not in wanted and name != "Package.resolved":
                    os.remove(os.path.join(dest, path))
    print(commit)


if __name__ == "__main__":
    main()
