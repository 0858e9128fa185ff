"""Open a workbook in a private headless LibreOffice and report its VBA modules as JSON.

Run with a Python that has LibreOffice's ``uno`` module (Debian: /usr/bin/python3), not the
project's venv:

    python3 libreoffice_probe.py FILE [--filter NAME] [--run Module.Proc --cell Sheet!A1]

Prints {"modules": {name: source}, "cell": value-or-null}. Starts its own soffice with a
throw-away profile and stops exactly that process.
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--filter")
    parser.add_argument("--run")
    parser.add_argument("--cell")
    parser.add_argument("--soffice", default="soffice")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as profile:
        pipe = f"applinks_probe_{os.getpid()}"
        process = subprocess.Popen(
            [
                args.soffice,
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "-env:UserInstallation=file://" + profile,
                f"--accept=pipe,name={pipe};urp;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        desktop = None
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", local
            )
            context = None
            # Wait as long as LibreOffice is starting (a busy machine is slow); the deadline
            # only ends a hang.
            deadline = time.monotonic() + 600
            while context is None:
                try:
                    context = resolver.resolve(
                        f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
                    )
                except NoConnectException:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("LibreOffice did not start") from None
                    time.sleep(0.1)
            desktop = context.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", context
            )
            options = [prop("Hidden", True), prop("MacroExecutionMode", 4)]
            if args.filter:
                options.append(prop("FilterName", args.filter))
            url = uno.systemPathToFileUrl(os.path.abspath(args.path))
            doc = desktop.loadComponentFromURL(url, "_blank", 0, tuple(options))
            if doc is None:
                raise SystemExit("LibreOffice could not open " + args.path)
            try:
                modules = {}
                library_of = {}
                libraries = doc.BasicLibraries
                for library_name in libraries.getElementNames():
                    libraries.loadLibrary(library_name)
                    library = libraries.getByName(library_name)
                    for module_name in library.getElementNames():
                        modules[module_name] = library.getByName(module_name)
                        library_of[module_name] = library_name
                cell = None
                if args.run:
                    provider = doc.getScriptProvider()
                    library_name = library_of[args.run.split(".")[0]]
                    script = provider.getScript(
                        f"vnd.sun.star.script:{library_name}.{args.run}"
                        "?language=Basic&location=document"
                    )
                    script.invoke((), (), ())
                    sheet_name, address = args.cell.split("!")
                    sheet = doc.Sheets.getByName(sheet_name)
                    cell = sheet.getCellRangeByName(address).getString()
            finally:
                doc.close(True)
            json.dump({"modules": modules, "cell": cell}, sys.stdout)
        finally:
            if desktop is not None:
                with contextlib.suppress(Exception):
                    desktop.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


if __name__ == "__main__":
    main()
