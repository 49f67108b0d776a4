#!/usr/bin/env bash
# Vendors the front-end libraries of package.json into static/vendor/ (run after changing a
# version there; the copied files are committed, so `make run` and the tests need no npm).
#   bash scripts/vendor_static.sh
# Installs exactly package-lock.json from the npm registry (no install scripts), then copies
# each library's built browser file, its source map and its licence.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v npm >/dev/null || { echo "Halle : npm est requis pour mettre à jour static/vendor/ (apt-get install npm)." >&2; exit 1; }
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

copy() {  # package, built file inside it, destination folder under static/vendor/
  local package=$1 file=$2 dest=static/vendor/$3
  mkdir -p "$dest"
  cp "node_modules/$package/$file" "$dest/"
  # The source map its last line names (collectstatic's manifest refuses a dangling reference).
  if [ -f "node_modules/$package/$file.map" ]; then cp "node_modules/$package/$file.map" "$dest/"; fi
  cp node_modules/"$package"/LICENSE* "$dest/"
  local version
  version=$(node -p "require('./node_modules/$package/package.json').version")
  echo "$package $version" > "$dest/VERSION"
  echo "static/vendor/$3/$(basename "$file") ← $package $version"
}

copy chart.js dist/chart.umd.min.js chartjs
