#!/usr/bin/env python3
"""Package a tiny chart and push it with helm v4 (through helm-sdkpy).

Used by the end-to-end suite (tests/e2e/helm.rs) to prove that helm reads a
rendered file through HELM_REGISTRY_CONFIG. helm itself reads that variable;
this script never sees a credential.

    usage: helm_push.py HOST:PORT [CHART_NAME]

Pushes CHART_NAME (default "demo") version 0.1.0 to oci://HOST:PORT/charts over
plain HTTP. helm creates cache folders under $HOME, so callers give it a
throwaway HOME. Exits 0 on success; on failure prints helm's error and exits 1.
"""

import asyncio
import os
import sys
import tempfile


def write_chart(root: str, name: str) -> str:
    chart = os.path.join(root, name)
    os.makedirs(os.path.join(chart, "templates"))
    with open(os.path.join(chart, "Chart.yaml"), "w") as f:
        f.write(f"apiVersion: v2\nname: {name}\nversion: 0.1.0\ntype: application\n")
    with open(os.path.join(chart, "templates", "configmap.yaml"), "w") as f:
        f.write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n")
    return chart


def main() -> int:
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    host = sys.argv[1]
    name = sys.argv[2] if len(sys.argv) == 3 else "demo"
    if not os.environ.get("HELM_REGISTRY_CONFIG"):
        print("helm_push.py: HELM_REGISTRY_CONFIG is not set", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="helm-push-") as tmp:
        import helm_sdkpy as helm

        chart = write_chart(tmp, name)
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        # plain_http must be set on the Configuration: Push's own flag is not enough.
        cfg = helm.Configuration(plain_http=True)
        try:
            tgz = asyncio.run(helm.Package(cfg).run(chart, dest_dir=out))
            asyncio.run(helm.Push(cfg).run(tgz, f"oci://{host}/charts", plain_http=True))
        except Exception as err:  # helm_sdkpy raises ChartError with helm's message
            print(f"helm push failed: {type(err).__name__}: {err}", file=sys.stderr)
            return 1
    print(f"pushed oci://{host}/charts/{name}:0.1.0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
