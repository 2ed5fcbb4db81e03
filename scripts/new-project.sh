#!/usr/bin/env bash
# Creates an Nx project skeleton: scripts/new-project.sh <libs|apps> <name> <tags,comma,separated>
set -euo pipefail
kind=$1; name=$2; tags=$3
root="$kind/$name"
mkdir -p "$root/src"
depth=$(echo "$root" | awk -F/ '{print NF}')
up=$(printf '../%.0s' $(seq 1 "$depth"))
tagjson=$(echo "$tags" | awk -F, '{for(i=1;i<=NF;i++){printf "%s\"%s\"", (i>1?", ":""), $i}}')
projtype=library; [ "$kind" = apps ] && projtype=application
cat > "$root/project.json" <<JSON
{
  "name": "$name",
  "\$schema": "${up}node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$root/src",
  "projectType": "$projtype",
  "tags": [$tagjson],
  "targets": {
    "lint": {
      "executor": "@nx/eslint:lint",
      "options": { "lintFilePatterns": ["$root/src/**/*.ts"] }
    },
    "test": {
      "executor": "@nx/jest:jest",
      "outputs": ["{workspaceRoot}/coverage/$root"],
      "options": { "jestConfig": "$root/jest.config.js", "passWithNoTests": false }
    }
  }
}
JSON
cat > "$root/jest.config.js" <<JS
module.exports = {
  displayName: '$name',
  preset: '${up}jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '${up}coverage/$root',
};
JS
[ -f "$root/src/index.ts" ] || echo "export {};" > "$root/src/index.ts"
