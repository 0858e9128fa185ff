// Run a Python file under Pyodide in Node, with our wheel installed by micropip from a local file.
//
// Usage: node pyodide_runner.cjs PYODIDE_DIR CONFIG_JSON
// CONFIG_JSON: {"packages": [wheel paths for pyodide.loadPackage (micropip and its needs)],
//               "install": [[wheel path, deps (true/false)], ...] for micropip.install,
//               "files": {"/path/in/pyodide": "local path"}, "script": "local path"}
// The script's last expression (a string) is written to stdout; Python's own output goes to
// stderr. Nothing is fetched: every wheel comes from a local file.
"use strict";
const fs = require("fs");
const path = require("path");

async function main() {
  const [pyodideDir, configPath] = process.argv.slice(2);
  const config = JSON.parse(fs.readFileSync(configPath, "utf8"));
  const { loadPyodide } = require(path.join(pyodideDir, "pyodide.js"));
  const toStderr = (line) => process.stderr.write(line + "\n");
  const pyodide = await loadPyodide({
    indexURL: pyodideDir + path.sep,
    stdout: toStderr,
    stderr: toStderr,
  });
  await pyodide.loadPackage(config.packages, { messageCallback: toStderr });
  for (const [target, source] of Object.entries(config.files)) {
    pyodide.FS.mkdirTree(path.posix.dirname(target));
    pyodide.FS.writeFile(target, fs.readFileSync(source));
  }
  const micropip = pyodide.pyimport("micropip");
  for (const [wheel, deps] of config.install) {
    const target = "/wheels/" + path.basename(wheel);
    pyodide.FS.mkdirTree("/wheels");
    pyodide.FS.writeFile(target, fs.readFileSync(wheel));
    await micropip.install.callKwargs("emfs:" + target, { deps });
  }
  const result = await pyodide.runPythonAsync(fs.readFileSync(config.script, "utf8"));
  process.stdout.write(String(result));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
