#!/usr/bin/env python3
"""Push a small artifact with oras-py, pull it back and compare.

Used by the end-to-end suite (tests/e2e/oras.rs) to prove that oras-py reads a
rendered Docker-format file given as config_path (oras-py ignores DOCKER_CONFIG).

    usage: oras_roundtrip.py HOST:PORT REPOSITORY:TAG CONFIG_PATH

Exits 0 when the pulled file equals the pushed one; on failure prints the
client's error and exits 1.
"""

import os
import sys
import tempfile


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    host, ref, config_path = sys.argv[1:]
    if not os.path.isfile(config_path):
        print(f"oras_roundtrip.py: no config file at {config_path}", file=sys.stderr)
        return 2
    import oras.client

    target = f"{host}/{ref}"
    payload = b"hello from registry-config\n"
    with tempfile.TemporaryDirectory(prefix="oras-roundtrip-") as tmp:
        # oras-py only pushes files inside the current directory.
        os.chdir(tmp)
        with open("artifact.txt", "wb") as f:
            f.write(payload)
        # auth_backend="basic": the default "token" backend stalls on name lookups here.
        client = oras.client.OrasClient(hostname=host, insecure=True, auth_backend="basic")
        try:
            pushed = client.push(target=target, files=["artifact.txt"], config_path=config_path)
            if pushed.status_code not in (200, 201):
                print(f"oras push failed: HTTP {pushed.status_code} {pushed.text}", file=sys.stderr)
                return 1
            out = os.path.join(tmp, "out")
            files = client.pull(target=target, config_path=config_path, outdir=out)
        except Exception as err:  # oras-py raises ValueError/requests errors with the response
            print(f"oras failed: {type(err).__name__}: {err}", file=sys.stderr)
            return 1
        pulled = [p for p in files if os.path.basename(p) == "artifact.txt"]
        if not pulled:
            print(f"oras pull returned no artifact.txt: {files}", file=sys.stderr)
            return 1
        with open(pulled[0], "rb") as f:
            if f.read() != payload:
                print("oras pull returned different content", file=sys.stderr)
                return 1
    print(f"pushed and pulled {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
